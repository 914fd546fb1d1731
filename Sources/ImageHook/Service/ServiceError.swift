/// Failures of the service facade itself (start-up), with a message for a person.
public enum ServiceError: Error, Sendable, CustomStringConvertible {
    case startup(String)

    public var description: String {
        switch self {
        case .startup(let why): "service failed to start: \(why)"
        }
    }
}
