import HTTP1

/// A complete request as handed to the handler: the head plus the whole body, which the
/// server has already read within the route's body limit.
public struct HTTPServerRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]
    /// Peer address as `ip:port` (`[ip]:port` for IPv6); the proxy's address behind one.
    public var remoteAddress: String
    /// The sanitized incoming `X-Request-Id`, or one the server generated; echoed on
    /// the response and in the access log.
    public var requestID: String
    /// The `name` the server was created with (e.g. `public` / `internal`).
    public var listenerName: String

    public init(head: HTTPRequestHead, body: [UInt8], remoteAddress: String,
                requestID: String, listenerName: String) {
        self.head = head
        self.body = body
        self.remoteAddress = remoteAddress
        self.requestID = requestID
        self.listenerName = listenerName
    }
}
