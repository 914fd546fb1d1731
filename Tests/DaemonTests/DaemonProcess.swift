import Foundation

/// The built `imagehookd` binary run as a child process, its stderr collected.
final class DaemonProcess: @unchecked Sendable {
    static var binaryPath: String { packageRoot + "/.build/debug/imagehookd" }

    let process = Process()
    /// Kept for the life of the object: the reader thread reads its read end.
    private let channel = ChildOutputChannel()
    private let collected = CollectedOutput()

    init(arguments: [String], environment: [String: String]) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binaryPath) else {
            throw Failure("imagehookd not built at \(Self.binaryPath); run `swift build --product imagehookd`")
        }
        process.executableURL = URL(fileURLWithPath: Self.binaryPath)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("IMAGEHOOK_") && $0.key != "NOTIFY_SOCKET"
            && $0.key != "CREDENTIALS_DIRECTORY" && !$0.key.hasPrefix("LISTEN_") && !$0.key.hasPrefix("WATCHDOG_") }
        env.merge(environment) { $1 }
        process.environment = env
        process.standardError = channel.writing
        process.standardOutput = FileHandle.nullDevice
        defer { channel.closeWritingEnd() }
        try process.run()
        channel.closeWritingEnd()
        // A blocking read on its own thread rather than a readabilityHandler: with a child
        // that exits at once, the handler sometimes never saw end-of-file, and
        // waitForExit then sat out its whole 30 s deadline.
        let reading = channel.reading, collected = self.collected
        Thread.detachNewThread { collected.readToEnd(reading) }
    }

    var stderr: String { collected.text }

    /// Waits (bounded) for the exit and for all of stderr to be read.
    func waitForExit(timeout: Double = 30) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while (process.isRunning || !collected.reachedEnd) && Date() < deadline { usleep(10_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Waits (bounded) until a stderr line contains `marker`; returns that line.
    func waitForLine(containing marker: String, timeout: Double = 30) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = stderr.split(separator: "\n").first(where: { $0.contains(marker) }) { return String(line) }
            if !process.isRunning { break }
            usleep(20_000)
        }
        throw Failure("no line with \(marker) within \(timeout) s; stderr:\n\(stderr)")
    }

    /// `key=value` from a logfmt line.
    static func field(_ key: String, in line: String) -> String? {
        line.split(separator: " ").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    /// Sends a signal and waits (bounded) for the exit; returns the status or nil on timeout.
    func signalAndWait(_ signal: Int32, timeout: Double) -> Int32? {
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return waitForExit(timeout: 5)
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        // Ends the reader thread even if some other process still held the write end.
        shutdown(channel.reading.fileDescriptor, Int32(SHUT_RDWR))
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}
