/// Why a callback URL is refused (PROVIDER.md, Submit: `callback_url`).
public enum CallbackURLError: Error, Sendable, Hashable, CustomStringConvertible {
    case tooLong(limit: Int)
    case notHTTPS
    case malformed(String)
    case internalHost(String)

    public var description: String {
        switch self {
        case .tooLong(let limit): "must be at most \(limit) characters"
        case .notHTTPS: "must use https"
        case .malformed(let why): "is not a valid URL: \(why)"
        case .internalHost(let host): "must not point at an internal address (\(host))"
        }
    }
}
