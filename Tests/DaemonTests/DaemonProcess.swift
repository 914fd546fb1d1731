import Foundation
import TestSupport

/// The built `imagehookd` binary run as a child process, its stderr captured. Every wait
/// suspends (bounded) instead of holding a cooperative-pool thread.
final class DaemonProcess: Sendable {
    /// The binary of this test run's build configuration (sanitized in sanitizer runs).
    static var binaryPath: String { (try? BuiltBinary.path("imagehookd")) ?? packageRoot + "/.build/debug/imagehookd" }

    let child: ChildProcess

    /// `provider` becomes IMAGEHOOK_PROVIDER (most tests run the embedded simulator, which
    /// is never implied); nil leaves the choice to the configuration under test.
    init(arguments: [String], environment: [String: String], provider: String? = "simulator") throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binaryPath) else {
            throw Failure("imagehookd not built at \(Self.binaryPath); run `swift build --product imagehookd`")
        }
        var environment = environment
        if let provider, environment["IMAGEHOOK_PROVIDER"] == nil { environment["IMAGEHOOK_PROVIDER"] = provider }
        child = try ChildProcess(Self.binaryPath, arguments, environment: ChildProcess.isolatedEnvironment(environment),
                                 stdout: .discard, name: "imagehookd")
    }

    var pid: Int32 { child.pid }
    var isRunning: Bool { child.isRunning }
    var stderr: String { child.stderr }

    /// Waits (bounded) for the exit and for all of stderr to be read: the exit code, the
    /// signal number for a signalled exit, nil on timeout.
    func waitForExit(timeout: Double = 30) async -> Int32? {
        switch await child.exited(within: timeout) {
        case .exited(let code): code
        case .signalled(let signal): signal
        case nil: nil
        }
    }

    /// Waits (bounded) until a stderr line contains `marker`; returns that line.
    func waitForLine(containing marker: String, timeout: Double = 30) async throws -> String {
        let child = self.child
        do {
            return try await offPool { try child.waitForLine(containing: marker, timeout: timeout) }
        } catch {
            throw Failure("no line with \(marker) within \(timeout) s; stderr:\n\(stderr)")
        }
    }

    /// `key=value` from a logfmt line.
    static func field(_ key: String, in line: String) -> String? {
        line.split(separator: " ").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    /// Sends a signal and waits (bounded) for the exit; the status, or nil when it had to
    /// be killed.
    func signalAndWait(_ signal: Int32, timeout: Double) async -> Int32? {
        child.signal(signal)
        if let status = await waitForExit(timeout: timeout) { return status }
        let child = self.child
        _ = await offPool { child.stop(signal: SIGKILL, grace: 5) }
        return nil
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}
