import HTTP1

/// What the connection keeps about a request until its response is written: enough
/// for the response framing (HEAD, version, persistence) and the access log.
struct HTTPRequestInfo: Sendable, Equatable {
    var sequence: Int
    var method: String
    var target: String
    var version: HTTPVersion
    /// Whether the client allows the connection to persist (RFC 9112 §9.3).
    var keepAlive: Bool
    var requestID: String
    /// Monotonic nanoseconds when the head was complete.
    var startedAt: UInt64

    var isHead: Bool { method == "HEAD" }

    /// For responses sent without a parsed request (parse errors, limits). `method` is
    /// the request line's method when it was read before the error, so that an error
    /// answer to HEAD carries no content either (RFC 9110 §9.3.2).
    static func unparsed(sequence: Int, requestID: String, method: String? = nil,
                         now: UInt64) -> HTTPRequestInfo {
        HTTPRequestInfo(sequence: sequence, method: method ?? "-", target: "-", version: .http1_1,
                        keepAlive: false, requestID: requestID, startedAt: now)
    }
}
