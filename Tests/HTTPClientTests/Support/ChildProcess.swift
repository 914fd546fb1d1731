import Foundation

/// A child process (openssl, nginx) owned by one test: stdout/stderr go to files in the
/// test's directory; terminated (SIGTERM, then SIGKILL) on `stop()`/deinit.
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

    deinit { stop() }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<50 where process.isRunning { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
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
