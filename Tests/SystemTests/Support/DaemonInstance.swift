import Foundation
import HTTPClient
import Support
import TestSupport

/// The built `imagehookd serve` in provider mode against the simulator process, with a
/// fixed data directory and fixed loopback ports, so it can be killed with SIGKILL and
/// started again in the same place (as systemd would) any number of times.
final class DaemonInstance: @unchecked Sendable {
    let directory: TemporaryDirectory
    let dataDirectory: String
    private(set) var publicPort: Int
    private(set) var internalPort: Int
    let configPath: String
    private var values: [String: String]
    let internalToken: String
    private let state = Locked<(current: ChildProcess?, incarnations: Int, traced: Bool)>((nil, 0, false))
    /// Short deadlines: a probe must not hang on whatever else holds the port.
    private let probe: HTTPClient = {
        var c = HTTPClientConfiguration(maxBodyBytes: 1 << 20, maxRedirects: 0, allowPlainHTTP: true,
                                        addressPolicy: .trusted, maxIdleConnectionsPerOrigin: 0)
        c.timeouts = HTTPClientTimeouts(dns: 1, connect: 1, tls: 1, firstByte: 2, idle: 2, total: 3)
        return HTTPClient(configuration: c)
    }()

    var internalURL: String { "http://127.0.0.1:\(internalPort)" }
    var publicURL: String { "http://127.0.0.1:\(publicPort)" }

    /// Writes the configuration and the secret files; nothing runs until `start()`.
    /// `settings` override or add `key = value` lines (timings a test needs).
    init(directory: TemporaryDirectory, providerAPIKey: String, simulatorPort: Int, front: TLSFront,
         publicPort: Int, internalPort: Int, settings: [String: String] = [:]) throws {
        self.directory = directory
        self.publicPort = publicPort
        self.internalPort = internalPort
        dataDirectory = directory.file("data")
        internalToken = "systest-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let keyFile = directory.write("secrets/provider-key", providerAPIKey + "\n")
        let tokensFile = directory.write("secrets/internal-tokens", "# system tests\nsystem:\(internalToken)\n")
        let relayFile = directory.write("secrets/relay-secret", String(repeating: "s3cr3t-r3lay-", count: 4) + "\n")
        var values: [String: String] = [
            "public_listen": "127.0.0.1:\(publicPort)",
            "internal_listen": "127.0.0.1:\(internalPort)",
            "data_dir": dataDirectory,
            // A loopback provider (the simulator, reached directly) is what lets the
            // daemon hand out a loopback callback URL (the TLS front on 127.0.0.1).
            "public_url": front.callbackBaseURL,
            "provider_base_url": "http://127.0.0.1:\(simulatorPort)",
            "provider_api_key_file": keyFile,
            "internal_tokens_file": tokensFile,
            "relay_secret_file": relayFile,
            "extra_ca_file": front.caFile,
            // Result links are https on the front's ephemeral loopback port: exactly that
            // port, so the port policy is still in force (80/443 by default).
            "download_allow_networks": "127.0.0.0/8",
            "download_allowed_ports": "\(front.linkPort)",
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
        self.values = values
        configPath = directory.file("imagehook.conf")
        try writeConfiguration()
    }

    private func writeConfiguration() throws {
        let text = values.keys.sorted().map { "\($0) = \(values[$0]!)" }.joined(separator: "\n") + "\n"
        directory.write("imagehook.conf", text, mode: 0o644)
    }

    /// New listen ports, before the first start only (a port taken by a parallel test).
    func movePorts(public newPublic: Int, internal newInternal: Int) throws {
        publicPort = newPublic
        internalPort = newInternal
        values["public_listen"] = "127.0.0.1:\(newPublic)"
        values["internal_listen"] = "127.0.0.1:\(newInternal)"
        try writeConfiguration()
    }

    /// Starts a new process and waits (bounded) until it is healthy and ready. A process
    /// that exits first fails with its log.
    func start(timeout: Double = 30, traceInto: String? = nil) async throws {
        let child = try await offPool { [self] in try launch(traceInto: traceInto) }
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            guard child.isRunning else {
                throw SystemFailure("\(child.name) exited with \(child.exitStatus.map { "\($0)" } ?? "?") before it was ready:\n\(child.tail())")
            }
            if await isHealthy() { return }
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
        let number = state.withLock { state -> Int in state.incarnations += 1; return state.incarnations }
        var executable = binary
        var arguments = ["serve", "--config", configPath]
        if let traceInto {
            executable = "/usr/bin/strace"
            arguments = ["-f", "-yy", "-tt", "-s", "8192", "-e", "signal=none",
                         "-e", "trace=read,readv,recvfrom,recvmsg,write,writev,sendto,sendmsg,pwrite64,fsync,fdatasync,rename,renameat,renameat2",
                         "-o", traceInto, binary] + arguments
        }
        let log = directory.file("imagehookd-\(number).log")
        let child = try ChildProcess(executable, arguments, environment: ChildProcess.isolatedEnvironment(),
                                     stdout: .file(log), stderr: .file(log), name: "imagehookd#\(number)")
        state.withLock {
            $0.current = child
            $0.traced = traceInto != nil
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
    private func isHealthy() async -> Bool {
        for url in [publicURL + "/healthz", internalURL + "/readyz"] {
            guard let r = try? await probe.execute(HTTPClientRequest(url: url)), r.status == 200 else { return false }
        }
        return true
    }

    /// SIGKILL: no shutdown code runs, exactly like a power cut for the process (the
    /// kernel's page cache survives, so this tests ordering, not fsync).
    func killHard() {
        let (child, traced) = state.withLock { ($0.current, $0.traced) }
        guard let child, child.isRunning else { return }
        kill(daemonPID(child, traced: traced), SIGKILL)
        // The tracer exits once its tracee is gone; the tracee dies with SIGKILL.
        if child.wait(timeout: 10) == nil { kill(child.pid, SIGKILL) }
        _ = child.wait(timeout: 5)
    }

    /// Sends SIGKILL now without waiting (to hit the instant after an answer); follow
    /// with `killHardAsync()` to reap.
    func signalKill() {
        let (child, traced) = state.withLock { ($0.current, $0.traced) }
        guard let child, child.isRunning else { return }
        kill(daemonPID(child, traced: traced), SIGKILL)
    }

    /// `killHard()` off the cooperative pool (it waits for the exit).
    func killHardAsync() async {
        await offPool { [self] in killHard() }
    }

    var incarnationCount: Int { state.withLock { $0.incarnations } }

    /// The current process's log tail, for failure messages.
    func logTail(_ lines: Int = 60) -> String { state.withLock { $0.current }?.tail(lines) ?? "" }

    /// Every incarnation's log lines that contain `text` (e.g. level=error).
    func logLines(containing text: String) -> [String] {
        (1...max(1, incarnationCount)).flatMap { n in
            directory.read("imagehookd-\(n).log").split(separator: "\n").filter { $0.contains(text) }.map(String.init)
        }
    }

    func stop() { killHard() }

    deinit { stop() }
}
