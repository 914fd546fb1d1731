/// A control-endpoint request the simulator cannot apply.
enum SimControlError: Error, Sendable, CustomStringConvertible {
    case invalid(String)

    var description: String {
        switch self {
        case .invalid(let why): why
        }
    }
}
