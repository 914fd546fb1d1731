/// Failures of the file side of the image store.
public enum ImageStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The download passed the configured byte cap; nothing of it is kept.
    case tooLarge(limit: Int)
    /// The file system is full (ENOSPC/EDQUOT): callers answer 503 and retry later.
    case noSpace(path: String)
    /// Any other system call failure, with the call, the path and errno's text.
    case io(operation: String, path: String, errno: Int32, message: String)
    /// The writer was already committed, discarded or finished for writing.
    case writerClosed
    /// A sha256/extension pair that is not a stored-image name (64 hex + known ext).
    case invalidName(String)

    public var description: String {
        switch self {
        case .tooLarge(let limit): "image larger than the \(limit)-byte limit"
        case .noSpace(let path): "no space left on device writing \(path)"
        case .io(let operation, let path, let errno, let message): "\(operation) \(path) failed: \(message) (errno \(errno))"
        case .writerClosed: "image writer already closed"
        case .invalidName(let name): "not a stored image name: \(name)"
        }
    }

    /// True when retrying later may succeed (disk full, transient I/O).
    public var isUnavailable: Bool {
        switch self {
        case .noSpace, .io: true
        default: false
        }
    }
}
