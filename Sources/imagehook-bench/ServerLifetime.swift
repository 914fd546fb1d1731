#if canImport(Glibc)
import Glibc
#endif

/// How a bench server child announces itself and ends. The parent reads one
/// `LISTENING <port>` line; the child then serves until its stdin reaches end of file,
/// which happens when the parent exits for any reason (even kill -9), so no bench
/// server outlives its benchmark.
enum ServerLifetime {
    static func announce(port: Int, extra: String = "") {
        // Straight to fd 1: stdout is a pipe, where print() would sit in a buffer.
        let line = Array(("LISTENING \(port)" + (extra.isEmpty ? "" : " " + extra) + "\n").utf8)
        _ = line.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }

    /// Blocks the calling thread until stdin closes (`untilStdinCloses`) or forever
    /// (ended by a signal, as `.ci/bench-http` does).
    static func serve(untilStdinCloses: Bool) -> Never {
        if untilStdinCloses {
            var byte: UInt8 = 0
            while true {
                let n = read(0, &byte, 1)
                if n == 0 || (n < 0 && errno != EINTR) { exit(0) }
            }
        }
        while true { pause() }
    }

    /// Open descriptors up to the hard limit: idle-connection runs hold thousands.
    static func raiseDescriptorLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
