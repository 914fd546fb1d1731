/// The `method` label of request metrics. Methods are arbitrary tokens (RFC 9110 §9.1),
/// so anything outside the ones the daemon serves becomes `other`: a client cannot
/// create series at will.
public enum MethodLabel: UInt8, CaseIterable, Sendable {
    case get, head, post, put, delete, patch, options
    /// A response sent without a parsed request (malformed request, limit, 503 at the
    /// connection limit), reported by the server as method `-`.
    case unparsed
    case other

    public init(_ method: String) {
        switch method {
        case "GET": self = .get
        case "HEAD": self = .head
        case "POST": self = .post
        case "PUT": self = .put
        case "DELETE": self = .delete
        case "PATCH": self = .patch
        case "OPTIONS": self = .options
        case "-": self = .unparsed
        default: self = .other
        }
    }

    public var label: String {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .delete: "DELETE"
        case .patch: "PATCH"
        case .options: "OPTIONS"
        case .unparsed: "-"
        case .other: "other"
        }
    }
}
