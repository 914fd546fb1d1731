/// Why `serve` could not start. Each case maps to a sysexits(3) status.
public enum DaemonError: Error, CustomStringConvertible {
    case configuration([ConfigProblem])
    case dataDirectory(String)
    case listen(listener: String, address: String, reason: String)
    case simulator(String)
    case service(String)

    public var description: String {
        switch self {
        case .configuration(let problems): return "\(problems.count) configuration problem(s)"
        case .dataDirectory(let why): return why
        case .listen(let listener, let address, let reason):
            return "cannot listen on \(address) for the \(listener) listener: \(reason)"
        case .simulator(let why): return "cannot start the embedded simulator: \(why)"
        case .service(let why): return "cannot start the service: \(why)"
        }
    }
}
