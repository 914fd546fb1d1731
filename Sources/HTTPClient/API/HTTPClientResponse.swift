import HTTP1

/// The final response (after redirects). When a sink was given, `body` is empty and the
/// body went to the sink.
public struct HTTPClientResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The URL that produced this response, after following redirects.
    public var url: String
    /// The body was delimited by the connection's close (RFC 9112 §6.3 rule 8) and that
    /// close was not confirmed: a TLS stream ended without close_notify (RFC 8446 §6.1),
    /// which an attacker or a broken middlebox can forge at any byte. Delivered only when
    /// `HTTPClientConfiguration.deliversUnconfirmedCloseDelimitedBodies` is set; the
    /// caller must then prove the body whole from its content (a self-delimiting format,
    /// a known size or digest) or treat it as truncated.
    public var endUnconfirmed: Bool

    public init(status: Int, headers: HTTPHeaders, body: [UInt8], url: String, endUnconfirmed: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
        self.endUnconfirmed = endUnconfirmed
    }
}
