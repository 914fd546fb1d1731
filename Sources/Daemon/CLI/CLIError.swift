import ArgumentParser

/// Failures of the client subcommands, each with a message for a person and an exit
/// status from sysexits(3).
enum CLIError: Error, CustomStringConvertible {
    case unreachable(url: String, reason: String)
    case unauthorized
    case noToken(String)
    case api(status: Int, code: String, message: String)
    case badAnswer(String)
    case unsupported(String)

    var description: String {
        switch self {
        case .unreachable(let url, let reason):
            return "cannot reach the daemon at \(url): \(reason) (is `imagehookd serve` running? see --url)"
        case .unauthorized: return "the daemon refused the token (401); check --token-file / IMAGEHOOK_TOKEN_FILE"
        case .noToken(let why): return "no internal API token: \(why)"
        case .api(let status, let code, let message): return "daemon answered \(status) \(code): \(message)"
        case .badAnswer(let why): return "unexpected answer from the daemon: \(why)"
        case .unsupported(let what): return "\(what) is not supported by this daemon version"
        }
    }

    var exitCode: ExitCode {
        switch self {
        case .unreachable: return .unavailable
        case .unauthorized, .noToken: return .noPermission
        case .api: return .taskFailed
        case .badAnswer: return .dataError
        case .unsupported: return .taskFailed
        }
    }
}
