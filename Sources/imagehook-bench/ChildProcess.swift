#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` (not Foundation's `Process`, whose
/// `run()` can over-read while it scans /proc/self/fd: swift-corelibs-foundation #5472).
/// Its stdout comes back through a pipe; its stdin is a pipe the child may watch, so a
/// bench server given `--until-stdin-closes` exits by itself when this process dies.
final class ChildProcess {
    let pid: pid_t
    private let stdinFD: Int32
    private let stdoutFD: Int32
    private var pending: [UInt8] = []
    private var exitStatus: Int32?

    init(executable: String, arguments: [String]) throws(BenchError) {
        var toChild: [Int32] = [-1, -1]
        var fromChild: [Int32] = [-1, -1]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else {
            throw .spawn("pipe: \(String(cString: strerror(errno)))")
        }
        // Close-on-exec: only the dup2'd copies (fd 0 and 1) survive into the child, so
        // no other child holds these pipes open. (Glibc's pipe2 is not imported.)
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var child: pid_t = 0
        let code = posix_spawn(&child, executable, &actions, nil, argv, environ)
        close(toChild[0])
        close(fromChild[1])
        guard code == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw .spawn("\(executable): \(String(cString: strerror(code)))")
        }
        pid = child
        stdinFD = toChild[1]
        stdoutFD = fromChild[0]
    }

    deinit {
        close(stdinFD)
        close(stdoutFD)
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    /// The next line of the child's stdout without its newline; nil at end of output.
    func readLine() -> String? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return line
            }
            guard readMore() else {
                if pending.isEmpty { return nil }
                defer { pending.removeAll() }
                return String(decoding: pending, as: UTF8.self)
            }
        }
    }

    /// Everything the child still writes to stdout, until it closes it.
    func readToEnd() -> String {
        while readMore() {}
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Waits for the child to exit; its exit code, or 128 + signal.
    @discardableResult
    func wait() -> Int32 {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift cannot import.
        let result = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        exitStatus = result
        return result
    }

    /// SIGTERM, then waits.
    func stop() {
        if exitStatus == nil { kill(pid, SIGTERM) }
        wait()
    }

    private func readMore() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(stdoutFD, $0.baseAddress, $0.count) }
            if n > 0 {
                pending.append(contentsOf: buffer[..<n])
                return true
            }
            if n < 0 && errno == EINTR { continue }
            return false
        }
    }

    /// Runs a child to its end: its exit status and all it wrote to stdout. Blocks.
    static func output(of executable: String, arguments: [String]) throws(BenchError) -> (status: Int32, output: String) {
        let child = try ChildProcess(executable: executable, arguments: arguments)
        let output = child.readToEnd()
        return (child.wait(), output)
    }

    /// This executable's own path, to start its subcommands as children.
    static var selfExecutable: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return n > 0 ? String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : CommandLine.arguments[0]
    }
}
