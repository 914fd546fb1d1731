/// The status line and header section of a response.
public struct HTTPResponseHead: Sendable, Hashable {
    public var status: Int
    public var reason: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// How the body is framed; set by the parser, ignored when serializing.
    public var framing: HTTPBodyFraming

    public init(status: Int, reason: String? = nil, version: HTTPVersion = .http1_1,
                headers: HTTPHeaders = HTTPHeaders(), framing: HTTPBodyFraming = .none) {
        self.status = status
        self.reason = reason ?? HTTPStatus.reasonPhrase(status)
        self.version = version
        self.headers = headers
        self.framing = framing
    }

    /// Whether the server intends to keep the connection open after this response.
    public var keepAlive: Bool {
        if headers.containsToken("Connection", "close") { return false }
        if version == .http1_0 { return headers.containsToken("Connection", "keep-alive") }
        return true
    }
}
