/// How the body of a message is delimited (RFC 9112 §6.3).
public enum HTTPBodyFraming: Sendable, Hashable {
    /// No body at all (requests without CL/TE, HEAD responses, 1xx/204/304).
    case none
    /// Exactly this many bytes follow the header section.
    case contentLength(Int)
    /// `Transfer-Encoding: chunked` as the final coding.
    case chunked
    /// Responses only: the body runs until the server closes the connection.
    case untilClose
}
