/// The request line and header section of a parsed request.
public struct HTTPRequestHead: Sendable, Hashable {
    public var method: String
    /// The request-target exactly as received (origin-form, e.g. `/v1/tasks?x=1`).
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// How the body is framed; set by the parser, ignored when serializing.
    public var framing: HTTPBodyFraming

    public init(method: String, target: String, version: HTTPVersion = .http1_1,
                headers: HTTPHeaders = HTTPHeaders(), framing: HTTPBodyFraming = .none) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.framing = framing
    }

    /// The target's path, without the query.
    public var path: Substring {
        if let q = target.firstIndex(of: "?") { return target[..<q] }
        return target[...]
    }

    /// The query, without the `?`, if present.
    public var query: Substring? {
        guard let q = target.firstIndex(of: "?") else { return nil }
        return target[target.index(after: q)...]
    }

    /// Persistence per RFC 9112 §9.3: HTTP/1.1 stays open unless `Connection: close`;
    /// HTTP/1.0 closes unless `Connection: keep-alive`.
    public var keepAlive: Bool {
        if headers.containsToken("Connection", "close") { return false }
        if version == .http1_0 { return headers.containsToken("Connection", "keep-alive") }
        return true
    }

    /// `Expect: 100-continue` (RFC 9110 §10.1.1); only meaningful for HTTP/1.1.
    public var expectsContinue: Bool {
        version == .http1_1 && headers.containsToken("Expect", "100-continue")
    }
}
