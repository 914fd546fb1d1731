/// A framing or syntax violation. Every case maps to the status a server answers with
/// before closing the connection (RFC 9112 §2.2 allows rejecting malformed messages).
public enum HTTPParseError: Error, Sendable, Hashable, CustomStringConvertible {
    case badRequest(String)
    case uriTooLong
    case headerFieldsTooLarge
    case payloadTooLarge
    case notImplemented(String)
    case versionNotSupported
    /// Response parsing: the peer's response is malformed (client side).
    case badResponse(String)
    /// The connection ended before the message did.
    case truncated

    public var status: Int {
        switch self {
        case .badRequest, .badResponse, .truncated: 400
        case .uriTooLong: 414
        case .headerFieldsTooLarge: 431
        case .payloadTooLarge: 413
        case .notImplemented: 501
        case .versionNotSupported: 505
        }
    }

    public var description: String {
        switch self {
        case .badRequest(let why): "bad request: \(why)"
        case .uriTooLong: "request line too long"
        case .headerFieldsTooLarge: "header section too large"
        case .payloadTooLarge: "body too large"
        case .notImplemented(let what): "not implemented: \(what)"
        case .versionNotSupported: "HTTP version not supported"
        case .badResponse(let why): "bad response: \(why)"
        case .truncated: "connection closed before the message was complete"
        }
    }
}
