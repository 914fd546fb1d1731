/// Why a server could not start listening.
public enum HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not `host:port` or `[ipv6]:port` with a port in 0...65535.
    case invalidAddress(String)
    /// The host did not resolve to a usable address.
    case resolve(address: String, reason: String)
    /// A socket call failed; `errno` as reported.
    case socket(operation: String, errno: Int32)
    /// A socket passed by the service manager is not a listening stream socket.
    case notListening(fd: Int32)
    /// `start` after `shutdown`.
    case shutDown

    public var description: String {
        switch self {
        case .invalidAddress(let address):
            "invalid listen address \"\(address)\" (expected host:port or [ipv6]:port)"
        case .resolve(let address, let reason): "cannot resolve \"\(address)\": \(reason)"
        case .socket(let operation, let errno): "\(operation) failed: \(HTTPSocket.errorString(errno))"
        case .notListening(let fd): "file descriptor \(fd) is not a listening TCP socket"
        case .shutDown: "the server was shut down"
        }
    }
}
