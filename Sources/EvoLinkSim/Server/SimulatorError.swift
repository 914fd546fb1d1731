/// Why the simulator could not start or take a control request.
public enum SimulatorError: Error, Sendable, Hashable, CustomStringConvertible {
    case listen(String)
    case invalidFaults(String)
    case alreadyStarted

    public var description: String {
        switch self {
        case .listen(let why): "cannot listen: \(why)"
        case .invalidFaults(let why): "invalid fault update: \(why)"
        case .alreadyStarted: "simulator already started"
        }
    }
}
