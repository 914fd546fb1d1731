import HTTP1

/// An outbound request. `url` is absolute (`https://host[:port]/path?query`).
public struct HTTPClientRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: String = "GET", url: String, headers: HTTPHeaders = HTTPHeaders(),
                body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// GET and HEAD are safe to repeat (RFC 9110 §9.2.2) — the only methods that are
    /// followed through redirects or retried on a fresh connection.
    var isIdempotentRead: Bool { method == "GET" || method == "HEAD" }
}
