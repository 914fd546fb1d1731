import Foundation

/// A child process owned by one test: stdout and stderr go to a file in the test's
/// directory; it is killed (SIGKILL) on `stop()` and on deinit, so no child outlives a
/// failing test. `stop()` waits for the exit (call it off the cooperative pool, through
/// `Blocking.run`); deinit only signals and leaves the bounded wait to a thread of its own.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let name: String
    let outputPath: String

    /// Environment variables never passed on: a developer's shell must not redirect the
    /// children (proxies) or hand them systemd state or another configuration.
    static func isolatedEnvironment(_ extra: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { key, _ in
            let upper = key.uppercased()
            return !upper.hasPrefix("IMAGEHOOK_") && !upper.hasSuffix("_PROXY") && !upper.hasPrefix("LISTEN_")
                && !upper.hasPrefix("WATCHDOG_") && upper != "NOTIFY_SOCKET" && upper != "CREDENTIALS_DIRECTORY"
        }
        env.merge(extra) { $1 }
        return env
    }

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
         outputPath: String, name: String) throws {
        self.name = name
        self.outputPath = outputPath
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = Self.isolatedEnvironment(environment)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? handle.close()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// The last lines of the output, for failure messages.
    func tail(_ lines: Int = 40) -> String {
        output.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// Sends `signal` and waits (bounded) for the exit; escalates to SIGKILL.
    @discardableResult
    func stop(signal: Int32 = SIGKILL, timeout: Double = 10) -> Bool {
        guard process.isRunning else { return true }
        kill(pid, signal)
        if waitForExit(timeout: timeout) { return true }
        kill(pid, SIGKILL)
        return waitForExit(timeout: 5)
    }

    /// Polls (bounded) until the process has been reaped. Polls rather than calling
    /// `waitUntilExit()`, which on Linux has raced Foundation's own exit monitor; the
    /// monitor reaps the child either way.
    func waitForExit(timeout: Double) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < end { usleep(5_000) }
        return !process.isRunning
    }

    /// Waits (bounded) until the output holds a line containing `marker`; returns it.
    func waitForLine(containing marker: String, timeout: Double) throws -> String {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if let line = output.split(separator: "\n").first(where: { $0.contains(marker) }) { return String(line) }
            if !process.isRunning { break }
            usleep(20_000)
        }
        throw SystemFailure("\(name): no line containing `\(marker)` within \(timeout) s; output:\n\(tail())")
    }

    /// Hands the process to the reaping thread; nothing else touches it by then.
    private struct Exiting: @unchecked Sendable { let child: Process }

    deinit {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        let exiting = Exiting(child: process)
        Thread {
            let end = Date().addingTimeInterval(15)
            while exiting.child.isRunning && Date() < end { usleep(5_000) }
        }.start()
    }
}
