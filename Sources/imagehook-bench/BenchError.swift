/// Why a benchmark could not produce its figures (set-up, a child process, a peer).
enum BenchError: Error, CustomStringConvertible {
    case spawn(String)
    case setup(String)
    case run(String)

    var description: String {
        switch self {
        case .spawn(let why): "cannot start child process: \(why)"
        case .setup(let why): "set-up failed: \(why)"
        case .run(let why): "benchmark failed: \(why)"
        }
    }
}
