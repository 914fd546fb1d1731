/// Why a child process could not be used as a test wanted.
public enum ChildProcessError: Error, CustomStringConvertible {
    case spawn(String, Int32)
    case timedOut(name: String, seconds: Double, output: String)
    case noLine(name: String, marker: String, output: String)
    case failed(name: String, exit: ChildProcess.Exit, output: String)

    public var description: String {
        switch self {
        case .spawn(let path, let code): "cannot start \(path): errno \(code)"
        case .timedOut(let name, let seconds, let output): "\(name) did not finish within \(seconds) s; output:\n\(output)"
        case .noLine(let name, let marker, let output): "\(name): no line containing `\(marker)`; output:\n\(output)"
        case .failed(let name, let exit, let output): "\(name) ended with \(exit); output:\n\(output)"
        }
    }
}
