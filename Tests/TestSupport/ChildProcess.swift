import CSpawn
import Foundation

/// A child process owned by one test, started with `posix_spawn`. Foundation's `Process`
/// is used nowhere in the tests: on Linux its launch scans /proc/self/fd with a buffer
/// over-read that crashed whole test runs (swift-corelibs-foundation #5472).
///
/// - Output: stdout and stderr are captured through close-on-exec pipes, each read to
///   end-of-file by an OS thread of its own (and copied to a file if asked), or sent to
///   /dev/null.
/// - Descriptors: the child gets exactly 0 (/dev/null), 1, 2 and the `inherit`ed ones
///   (renumbered from 3); everything else is closed in the child (`closefrom`), so a
///   descriptor a parallel test holds never leaks into this child, and our end-of-file
///   never waits on someone else's child.
/// - Signals: the child starts with an empty mask and default dispositions (the test
///   process may block some), in a process group of its own, so `stop` also takes down
///   grandchildren (nginx workers, a shell's children).
/// - Exit: an OS thread per child blocks in `waitpid` for it. Waits are bounded and
///   either block the calling thread (`wait(timeout:)`: call it from a thread of its own
///   or through `offPool`) or suspend (`exited(within:)`); none parks a pool thread.
/// - Lifetime: deinit SIGKILLs a child still running, so no child outlives its test.
public final class ChildProcess: Sendable {
    /// Where a child's stdout or stderr goes.
    public enum Output: Sendable {
        case capture
        case discard
        /// Captured, and also copied to a file (truncated at start, then appended to, so
        /// stdout and stderr may share one) that outlives the child, for later reading.
        case file(String)
    }

    /// How a child ended.
    public enum Exit: Sendable, Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        public var code: Int32? { if case .exited(let c) = self { c } else { nil } }
        public var description: String {
            switch self {
            case .exited(let c): "exit \(c)"
            case .signalled(let s): "signal \(s)"
            }
        }
    }

    public let pid: pid_t
    public let name: String
    private let state = ChildProcessState()

    /// Starts `executable` (an absolute path). `environment` nil passes the test
    /// process's own; otherwise exactly the one given. `inherit` descriptors become the
    /// child's 3, 4, ... in order.
    public init(_ executable: String, _ arguments: [String] = [], environment: [String: String]? = nil,
                directory: String? = nil, stdout: Output = .capture, stderr: Output = .capture,
                inherit: [Int32] = [], name: String? = nil) throws(ChildProcessError) {
        self.name = name ?? String(executable.split(separator: "/").last ?? "child")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var childEnds: [Int32] = []                 // the parent's copies, closed after the spawn
        var readers: [(fd: Int32, isStderr: Bool, copy: Int32)] = []
        defer { childEnds.forEach { _ = close($0) } }

        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        for (fd, output) in [(Int32(1), stdout), (Int32(2), stderr)] {
            switch output {
            case .capture, .file:
                var ends: [Int32] = [-1, -1]
                guard cspawn_pipe_cloexec(&ends) == 0 else {
                    let code = errno
                    readers.forEach { _ = close($0.fd); if $0.copy >= 0 { _ = close($0.copy) } }
                    throw .spawn(executable, code)
                }
                posix_spawn_file_actions_adddup2(&actions, ends[1], fd)  // dup2 clears CLOEXEC
                childEnds.append(ends[1])
                var copy: Int32 = -1
                if case .file(let path) = output {
                    let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC
                    let sharedWithStdout = fd == 2 && { if case .file(path) = stdout { true } else { false } }()
                    copy = open(path, flags | (sharedWithStdout ? 0 : O_TRUNC), 0o644)
                }
                readers.append((ends[0], fd == 2, copy))
            case .discard:
                posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
            }
        }
        // Renumbered through temporaries above every target, so no target overwrites a
        // source still to be copied.
        let staging = Int32(3 + inherit.count + 64)
        for (i, fd) in inherit.enumerated() { posix_spawn_file_actions_adddup2(&actions, fd, staging + Int32(i)) }
        for i in inherit.indices { posix_spawn_file_actions_adddup2(&actions, staging + Int32(i), 3 + Int32(i)) }
        cspawn_addclosefrom(&actions, 3 + Int32(inherit.count))
        if let directory { cspawn_addchdir(&actions, directory) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else {
            readers.forEach { _ = close($0.fd); if $0.copy >= 0 { _ = close($0.copy) } }
            throw .spawn(executable, rc)
        }
        pid = child
        let reaped = child

        let state = self.state
        state.update { $0.openStreams = readers.count }
        for reader in readers {
            OSThread.start { Self.readToEnd(reader.fd, isStderr: reader.isStderr, copy: reader.copy, into: state) }
        }
        OSThread.start {
            var status: Int32 = 0
            while waitpid(reaped, &status, 0) < 0 && errno == EINTR {}
            let signal = status & 0x7f
            state.update { $0.exit = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal) }
        }
    }

    deinit {
        if isRunning { _ = kill(-pid, SIGKILL); _ = kill(pid, SIGKILL) }
    }

    // MARK: state

    public var isRunning: Bool { state.read { $0.exit == nil } }
    /// How it ended, or nil while it runs.
    public var exitStatus: Exit? { state.read { $0.exit } }
    public var stdout: String { state.read { String(decoding: $0.stdout, as: UTF8.self) } }
    public var stderr: String { state.read { String(decoding: $0.stderr, as: UTF8.self) } }
    /// stdout then stderr, for failure messages.
    public var output: String { stdout + stderr }

    /// The last lines of the captured output, for failure messages.
    public func tail(_ lines: Int = 40) -> String {
        output.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    // MARK: signals and waits

    /// Sends `signal` to the child itself (not its group) while it runs.
    public func signal(_ signal: Int32) { if isRunning { _ = kill(pid, signal) } }

    /// Blocking, bounded: the exit once reaped and every captured stream has reached
    /// end-of-file, or nil at the deadline.
    public func wait(timeout: Double) -> Exit? {
        state.wait(until: Date().addingTimeInterval(timeout)) { $0.settled ? $0.exit : nil }
    }

    /// Suspending, bounded: `wait(timeout:)` on an OS thread of its own.
    public func exited(within timeout: Double) async -> Exit? {
        await withCheckedContinuation { continuation in
            OSThread.start { continuation.resume(returning: self.wait(timeout: timeout)) }
        }
    }

    /// Blocking: sends `signal`, waits up to `grace` seconds, then SIGKILLs the whole
    /// process group and waits again. The exit, or nil if even that was not reaped.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM, grace: Double = 5) -> Exit? {
        if isRunning { _ = kill(pid, signal) }
        let first = wait(timeout: grace)
        _ = kill(-pid, SIGKILL)  // whatever of the group is left
        if let first { return first }
        _ = kill(pid, SIGKILL)
        return wait(timeout: 10)
    }

    /// Blocking, bounded: the first captured line (stderr, then stdout) containing
    /// `marker`. Fails early once the child has exited and all output is read.
    public func waitForLine(containing marker: String, timeout: Double) throws(ChildProcessError) -> String {
        let found: String?? = state.wait(until: Date().addingTimeInterval(timeout)) { snapshot -> String?? in
            for bytes in [snapshot.stderr, snapshot.stdout] {
                let text = String(decoding: bytes, as: UTF8.self)
                if let line = text.split(separator: "\n").first(where: { $0.contains(marker) }) { return .some(String(line)) }
            }
            return snapshot.settled ? .some(nil) : nil
        }
        guard let line = found ?? nil else { throw .noLine(name: name, marker: marker, output: tail()) }
        return line
    }

    /// A finished run: how it ended and what it printed.
    public struct Finished: Sendable {
        public let name: String
        public let exit: Exit
        public let stdout: String
        public let stderr: String

        /// Self when it exited 0; otherwise throws with the output.
        @discardableResult
        public func requireSuccess() throws(ChildProcessError) -> Finished {
            guard exit == .exited(0) else { throw .failed(name: name, exit: exit, output: stdout + stderr) }
            return self
        }
    }

    /// Blocking: runs to completion within `timeout`; the exit and the captured output.
    /// Call from a thread of its own or through `offPool`.
    public static func run(_ executable: String, _ arguments: [String] = [], environment: [String: String]? = nil,
                           directory: String? = nil, timeout: Double = 60) throws(ChildProcessError) -> Finished {
        let child = try ChildProcess(executable, arguments, environment: environment, directory: directory)
        guard let exit = child.wait(timeout: timeout) else {
            child.stop(signal: SIGKILL, grace: 1)
            throw .timedOut(name: child.name, seconds: timeout, output: child.tail())
        }
        return Finished(name: child.name, exit: exit, stdout: child.stdout, stderr: child.stderr)
    }

    /// The test process's environment minus what would redirect or confuse a child:
    /// proxies, the daemon's own settings, systemd's hand-over variables.
    public static func isolatedEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { key, _ in
            let upper = key.uppercased()
            return !upper.hasPrefix("IMAGEHOOK_") && !upper.hasSuffix("_PROXY") && !upper.hasPrefix("LISTEN_")
                && !upper.hasPrefix("WATCHDOG_") && upper != "NOTIFY_SOCKET" && upper != "CREDENTIALS_DIRECTORY"
        }
        env.merge(extra) { $1 }
        return env
    }

    // MARK: helpers

    private static func readToEnd(_ fd: Int32, isStderr: Bool, copy: Int32, into state: ChildProcessState) {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            if copy >= 0 { buffer.withUnsafeBytes { Self.writeAll(copy, UnsafeRawBufferPointer(rebasing: $0[..<n])) } }
            state.update { snapshot in
                if isStderr { snapshot.stderr += buffer[..<n] } else { snapshot.stdout += buffer[..<n] }
            }
        }
        _ = close(fd)
        if copy >= 0 { _ = close(copy) }
        state.update { $0.openStreams -= 1 }
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }
}
