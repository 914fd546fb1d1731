#if canImport(Glibc)
import Glibc
#endif

/// A self-pipe: `readFD` becomes readable once `signal()` has been called, so a thread
/// blocked in poll() can wait for it next to a socket (an eventfd would do, but the
/// Glibc module does not export it). Both ends are non-blocking and close-on-exec.
final class WakePipe: Sendable {
    /// -1 when the kernel refused a pipe; poll() ignores negative descriptors, so
    /// waiters then rely on their short fallback slices.
    let readFD: Int32
    private let writeFD: Int32

    init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            }
        } else {
            fds = [-1, -1]
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        if readFD >= 0 { _ = Glibc.close(readFD) }
        if writeFD >= 0 { _ = Glibc.close(writeFD) }
    }

    /// Makes `readFD` readable (idempotent enough: the pipe only needs one byte).
    func signal() {
        guard writeFD >= 0 else { return }
        var one: UInt8 = 1
        _ = Glibc.write(writeFD, &one, 1)
    }
}
