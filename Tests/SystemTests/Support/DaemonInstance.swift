import Foundation
import HTTPClient

/// The built `imagehookd serve` in provider mode against the simulator process, with a
/// fixed data directory and fixed loopback ports, so it can be killed with SIGKILL and
/// started again in the same place (as systemd would) any number of times.
final class DaemonInstance: @unchecked Sendable {
    let directory: ScratchDirectory
    let dataDirectory: String
    let publicPort: Int
    let internalPort: Int
    let configPath: String
    let internalToken: String
    private let lock = NSLock()
    private var current: ChildProcess?
    private var incarnations = 0
    private var traced = false

    var internalURL: String { "http://127.0.0.1:\(internalPort)" }
    var publicURL: String { "http://127.0.0.1:\(publicPort)" }

    /// Writes the configuration and the secret files; nothing runs until `start()`.
    /// `settings` override or add `key = value` lines (timings a test needs).
    init(directory: ScratchDirectory, providerAPIKey: String, simulatorPort: Int, front: TLSFront,
         publicPort: Int, internalPort: Int, settings: [String: String] = [:]) throws {
        self.directory = directory
        self.publicPort = publicPort
        self.internalPort = internalPort
        dataDirectory = directory.file("data")
        internalToken = "systest-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let keyFile = try directory.write("secrets/provider-key", providerAPIKey + "\n")
        let tokensFile = try directory.write("secrets/internal-tokens", "# system tests\nsystem:\(internalToken)\n")
        let relayFile = try directory.write("secrets/relay-secret", String(repeating: "s3cr3t-r3lay-", count: 4) + "\n")
        var values: [String: String] = [
            "public_listen": "127.0.0.1:\(publicPort)",
            "internal_listen": "127.0.0.1:\(internalPort)",
            "data_dir": dataDirectory,
            "public_url": front.callbackBaseURL,
            "provider_base_url": "http://127.0.0.1:\(simulatorPort)",
            "provider_api_key_file": keyFile,
            "internal_tokens_file": tokensFile,
            "relay_secret_file": relayFile,
            "extra_ca_file": front.caFile,
            "download_allow_networks": "127.0.0.0/8",
            "relay_allow_networks": "127.0.0.0/8",
            "relay_backoff_base": "200ms",
            "relay_backoff_cap": "2s",
            "relay_lease": "2s",
            "log_level": "info",
            "readyz_min_free_bytes": "0",
            "shutdown_timeout": "2s",
            "provider_request_timeout": "10s",
            "submit_retry_base": "100ms",
            "ambiguous_resolve_interval": "1s",
            "download_backoff_base": "200ms",
            "download_backoff_cap": "2s",
            "poll_grace": "2s",
            "poll_default_estimate": "2s",
            "poll_backoff_base": "500ms",
            "poll_backoff_cap": "2s",
            "scheduler_idle": "200ms",
        ]
        values.merge(settings) { $1 }
        let text = values.keys.sorted().map { "\($0) = \(values[$0]!)" }.joined(separator: "\n") + "\n"
        configPath = try directory.write("imagehook.conf", text, mode: 0o644)
    }

    /// Starts a new process and waits (bounded) until it is healthy and ready. A process
    /// that exits first fails with its log.
    func start(_ http: HTTPClient, timeout: Double = 30, traceInto: String? = nil) async throws {
        let child = try launch(traceInto: traceInto)
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            guard child.isRunning else {
                throw SystemFailure("\(child.name) exited with \(child.process.terminationStatus) before it was ready:\n\(child.tail())")
            }
            if await isHealthy(http) { return }
            try await Task.sleep(nanoseconds: 30_000_000)
        }
        throw SystemFailure("\(child.name) not ready within \(timeout) s:\n\(child.tail())")
    }

    /// Starts a new process without waiting (to kill it again during its recovery).
    /// `traceInto`: run under `strace -f` writing the given file (file, socket and sync
    /// calls with their descriptors' paths), to check what happens before an answer.
    @discardableResult
    func launch(traceInto: String? = nil) throws -> ChildProcess {
        let binary = try BuiltBinary.path("imagehookd")
        let number = lock.withLock { () -> Int in incarnations += 1; return incarnations }
        var executable = binary
        var arguments = ["serve", "--config", configPath]
        if let traceInto {
            executable = "/usr/bin/strace"
            arguments = ["-f", "-yy", "-tt", "-s", "400", "-e", "signal=none",
                         "-e", "trace=read,readv,recvfrom,recvmsg,write,writev,sendto,sendmsg,pwrite64,fsync,fdatasync,rename,renameat,renameat2",
                         "-o", traceInto, binary] + arguments
        }
        let child = try ChildProcess(executable, arguments,
                                     outputPath: directory.file("imagehookd-\(number).log"), name: "imagehookd#\(number)")
        lock.withLock {
            current = child
            traced = traceInto != nil
        }
        return child
    }

    /// The daemon's own pid: under strace, the tracer's child.
    private func daemonPID(_ child: ChildProcess, traced: Bool) -> Int32 {
        guard traced else { return child.pid }
        let path = "/proc/\(child.pid)/task/\(child.pid)/children"
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: " ").first.flatMap { Int32($0) } ?? child.pid
    }

    /// `/healthz` only says the listeners answer; routes say 503 "starting" until the
    /// service has recovered, which `/readyz` reports (listeners, store, disk).
    private func isHealthy(_ http: HTTPClient) async -> Bool {
        for url in [publicURL + "/healthz", internalURL + "/readyz"] {
            guard let r = try? await http.execute(HTTPClientRequest(url: url)), r.status == 200 else { return false }
        }
        return true
    }

    /// SIGKILL: no shutdown code runs, exactly like a power cut for the process (the
    /// kernel's page cache survives, so this tests ordering, not fsync).
    func killHard() {
        let (child, traced) = lock.withLock { (current, self.traced) }
        guard let child, child.isRunning else { return }
        kill(daemonPID(child, traced: traced), SIGKILL)
        // The tracer exits once its tracee is gone; the tracee dies with SIGKILL.
        if !child.waitForExit(timeout: 10) { kill(child.pid, SIGKILL) }
        _ = child.waitForExit(timeout: 5)
    }

    var incarnationCount: Int { lock.withLock { incarnations } }

    /// The current process's log tail, for failure messages.
    func logTail(_ lines: Int = 60) -> String { lock.withLock { current }?.tail(lines) ?? "" }

    /// Every incarnation's log lines that contain `text` (e.g. level=error).
    func logLines(containing text: String) -> [String] {
        (1...max(1, incarnationCount)).flatMap { n in
            directory.read("imagehookd-\(n).log").split(separator: "\n").filter { $0.contains(text) }.map(String.init)
        }
    }

    func stop() { killHard() }

    deinit { stop() }
}
