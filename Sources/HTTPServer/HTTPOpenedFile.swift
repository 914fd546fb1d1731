import Glibc
import Support

/// A regular file a handler opened itself, off the connection's event loop, to be sent
/// as a response body. `open` and `fstat` can block for as long as a cold or failing disk
/// takes, and a loop serves many connections (callbacks among them), so a handler opens
/// the file on its own thread and hands the server only the descriptor. The server takes
/// the descriptor when it writes the body and closes it when done; a response that is
/// never written (HEAD, 304, a connection already gone) closes it here, on release.
public final class HTTPOpenedFile: Sendable, Equatable {
    private let descriptor: Locked<Int32?>
    /// The file's size when it was opened.
    public let size: Int

    private init(fd: Int32, size: Int) {
        descriptor = Locked(fd)
        self.size = size
    }

    /// Opens `path` read-only; nil when it is missing, unreadable or not a regular file.
    public static func open(path: String) -> HTTPOpenedFile? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            _ = close(fd)
            return nil
        }
        return HTTPOpenedFile(fd: fd, size: Int(info.st_size))
    }

    /// The descriptor, once: the caller owns (and closes) it from then on.
    func take() -> Int32? {
        descriptor.withLock { value in
            defer { value = nil }
            return value
        }
    }

    deinit {
        if let fd = take() { _ = close(fd) }
    }

    public static func == (a: HTTPOpenedFile, b: HTTPOpenedFile) -> Bool { a === b }
}
