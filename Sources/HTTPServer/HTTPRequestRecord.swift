/// What the server knows about one answered request, handed to `HTTPServerObserver`.
/// The fields are the ones the connection already holds, so building a record costs no
/// allocation.
public struct HTTPRequestRecord: Sendable {
    /// The `name` the server was created with (e.g. `public` / `internal`).
    public var listenerName: String
    /// The request method, or `-` for a response sent without a parsed request (a parse
    /// error, a limit, a rejected connection).
    public var method: String
    /// The request target without its query: the query may carry secrets (tokens) and
    /// has unbounded cardinality. `-` when there was no parsed request.
    public var path: Substring
    public var status: Int
    /// Response body bytes (0 for HEAD and for bodiless statuses).
    public var bytes: Int
    /// From the end of the request head to the response being encoded, monotonic clock.
    public var durationNanoseconds: UInt64
    public var requestID: String
    /// Peer address as `ip:port` (`[ip]:port` for IPv6).
    public var remoteAddress: String

    public init(listenerName: String, method: String, path: Substring, status: Int, bytes: Int,
                durationNanoseconds: UInt64, requestID: String, remoteAddress: String) {
        self.listenerName = listenerName
        self.method = method
        self.path = path
        self.status = status
        self.bytes = bytes
        self.durationNanoseconds = durationNanoseconds
        self.requestID = requestID
        self.remoteAddress = remoteAddress
    }
}
