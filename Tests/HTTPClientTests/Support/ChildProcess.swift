import Foundation

/// A child process (openssl, nginx) owned by one test: stdout/stderr go to files in the
/// test's directory; terminated (SIGTERM, then SIGKILL) on `stop()`/deinit. The blocking
/// waits here must run off the cooperative pool (`offPool`); deinit only signals and
/// leaves the bounded wait for the exit to a thread of its own.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let outputPath: String

    init(_ executable: String, _ arguments: [String], directory: TestDirectory, name: String) throws {
        outputPath = directory.file("\(name).out")
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        guard process.isRunning else { return }
        process.terminate()
        let exiting = Exiting(process: process)
        Thread { Self.reap(exiting.process) }.start()
    }

    /// Blocking: SIGTERM, then SIGKILL after a second, then waits (bounded) for the exit.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        Self.reap(process)
    }

    /// Hands the process to the reaping thread; nothing else touches it by then.
    private struct Exiting: @unchecked Sendable { let process: Process }

    /// Polls rather than `waitUntilExit()`, which spins a run loop and has raced with
    /// Foundation's exit monitor; the exit is reaped by Foundation either way.
    private static func reap(_ process: Process) {
        for _ in 0..<50 where process.isRunning { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for _ in 0..<250 where process.isRunning { usleep(20_000) }
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Waits (bounded) until the output contains `marker`; returns the output.
    func waitForOutput(containing marker: String, seconds: Double = 10) throws -> String {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            let text = output
            if text.contains(marker) { return text }
            if !process.isRunning { throw TestFailure("child exited: \(text)") }
            usleep(20_000)
        }
        throw TestFailure("timed out waiting for \(marker): \(output)")
    }

    /// Runs a command to completion (bounded), throwing on a non-zero exit.
    static func run(_ executable: String, _ arguments: [String], directory: TestDirectory) throws {
        let child = try ChildProcess(executable, arguments, directory: directory, name: "run-\(UUID().uuidString)")
        let end = Date().addingTimeInterval(60)
        while child.process.isRunning && Date() < end { usleep(10_000) }
        guard !child.process.isRunning else { child.stop(); throw TestFailure("\(executable) timed out") }
        guard child.process.terminationStatus == 0 else {
            throw TestFailure("\(executable) \(arguments) failed: \(child.output)")
        }
    }
}
