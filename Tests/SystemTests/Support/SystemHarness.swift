import Foundation
import HTTP1
import HTTPClient
import TestSupport

/// The deployment in miniature, every part a separate process on loopback:
/// evolink-sim (the provider), nginx (the TLS front for callbacks and result links) and
/// imagehookd (provider mode, restartable in place). Children die with the harness.
final class SystemHarness: @unchecked Sendable {
    let directory: TemporaryDirectory
    let front: TLSFront
    let simulator: SimulatorProcess
    let daemon: DaemonInstance
    /// Plain HTTP to the loopback listeners (daemon, simulator control); no connection
    /// reuse, because the daemon is killed under it.
    let http: HTTPClient
    /// HTTPS through the front, trusting its CA (to fetch result links as the daemon does).
    let frontHTTP: HTTPClient
    let callbacksReachDaemon: Bool

    init(label: String, seed: UInt64, callbacksReachDaemon: Bool = true, daemonSettings: [String: String] = [:]) throws {
        directory = TemporaryDirectory(label)
        let apiKey = "sk-systest-" + UUID().uuidString.lowercased()
        var plain = HTTPClientConfiguration(maxBodyBytes: 64 << 20, maxRedirects: 0, allowPlainHTTP: true,
                                            addressPolicy: .trusted, maxIdleConnectionsPerOrigin: 0)
        plain.timeouts = HTTPClientTimeouts(dns: 2, connect: 2, tls: 2, firstByte: 15, idle: 15, total: 30)
        http = HTTPClient(configuration: plain)
        var tls = plain
        tls.allowPlainHTTP = false
        front = try TLSFront(directory: directory)
        tls.extraCAFile = front.caFile
        frontHTTP = HTTPClient(configuration: tls)
        simulator = try SimulatorProcess(directory: directory, apiKey: apiKey, front: front, seed: seed)
        // The front's ports come from the same range and nginx has not bound them yet.
        let frontPorts = [front.callbackPort, front.linkPort, front.relayPort]
        var publicPort = try Loopback.restartablePort()
        while frontPorts.contains(publicPort) { publicPort = try Loopback.restartablePort() }
        var internalPort = try Loopback.restartablePort()
        while internalPort == publicPort || frontPorts.contains(internalPort) { internalPort = try Loopback.restartablePort() }
        self.callbacksReachDaemon = callbacksReachDaemon
        try front.start(daemonPublicPort: publicPort, simulatorPort: simulator.port,
                        callbacksReachDaemon: callbacksReachDaemon)
        daemon = try DaemonInstance(directory: directory, providerAPIKey: apiKey, simulatorPort: simulator.port,
                                    front: front, publicPort: publicPort, internalPort: internalPort,
                                    settings: daemonSettings)
    }

    /// The daemon's first start. The fixed ports were only probed free, so a parallel
    /// test may have bound one since: then new ports, nginx pointed at them, and again.
    func startDaemon(traceInto: String? = nil) async throws {
        for attempt in 1...3 {
            do {
                try await daemon.start(timeout: traceInto == nil ? 30 : 60, traceInto: traceInto)
                return
            } catch let failure as SystemFailure where attempt < 3 && failure.description.contains("Address already in use") {
                let publicPort = try Loopback.restartablePort()
                var internalPort = try Loopback.restartablePort()
                while internalPort == publicPort { internalPort = try Loopback.restartablePort() }
                try daemon.movePorts(public: publicPort, internal: internalPort)
                try await offPool { [self] in
                    front.stop()
                    try front.start(daemonPublicPort: publicPort, simulatorPort: simulator.port,
                                    callbacksReachDaemon: callbacksReachDaemon)
                }
            }
        }
    }

    /// Kills every child with SIGKILL (also done on deinit; explicit so a test ends them
    /// at once). No graceful stop. The waits for the exits run on a thread of their own:
    /// this is called from a `defer` on the cooperative pool, which must never block.
    func shutdown() {
        let children = Children(daemon: daemon, front: front, simulator: simulator)
        Thread {
            children.daemon.stop()
            children.front.stop()
            children.simulator.stop()
        }.start()
    }

    private struct Children: Sendable {
        let daemon: DaemonInstance
        let front: TLSFront
        let simulator: SimulatorProcess
    }

    deinit { shutdown() }

    // MARK: - the daemon's internal API, as a client sees it

    func submit(_ body: String, idempotencyKey: String?) async throws -> (status: Int, body: [UInt8]) {
        var headers: HTTPHeaders = ["Authorization": "Bearer \(daemon.internalToken)", "Content-Type": "application/json"]
        if let idempotencyKey { headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        let response = try await http.execute(HTTPClientRequest(method: "POST", url: daemon.internalURL + "/v1/images/generations",
                                                                headers: headers, body: Array(body.utf8)))
        return (response.status, response.body)
    }

    func task(_ id: String) async throws -> JSONObject {
        let response = try await http.execute(HTTPClientRequest(url: daemon.internalURL + "/v1/tasks/" + id,
                                                                headers: ["Authorization": "Bearer \(daemon.internalToken)"]))
        guard response.status == 200 else {
            throw SystemFailure("GET /v1/tasks/\(id): \(response.status) \(String(decoding: response.body, as: UTF8.self))")
        }
        return try JSONObject(bytes: response.body)
    }

    /// Every task id `GET /v1/tasks` lists, following the cursor (bounded).
    func allTaskIDs() async throws -> Set<String> {
        var ids: Set<String> = []
        var cursor: String?
        for _ in 0..<100 {
            let query = "?limit=100" + (cursor.map { "&cursor=" + $0 } ?? "")
            let response = try await http.execute(HTTPClientRequest(url: daemon.internalURL + "/v1/tasks" + query,
                                                                    headers: ["Authorization": "Bearer \(daemon.internalToken)"]))
            guard response.status == 200 else { throw SystemFailure("GET /v1/tasks: \(response.status)") }
            let page = try JSONObject(bytes: response.body)
            for task in page.objects("data") { if let id = task.string("id") { ids.insert(id) } }
            cursor = page.string("next_cursor")
            if cursor == nil { return ids }
        }
        throw SystemFailure("GET /v1/tasks: more than 100 pages")
    }

    func ledger() async throws -> JSONObject {
        let response = try await http.execute(HTTPClientRequest(url: daemon.internalURL + "/v1/ledger",
                                                                headers: ["Authorization": "Bearer \(daemon.internalToken)"]))
        guard response.status == 200 else {
            throw SystemFailure("GET /v1/ledger: \(response.status) \(String(decoding: response.body, as: UTF8.self))")
        }
        return try JSONObject(bytes: response.body)
    }

    func metrics() async throws -> String {
        let response = try await http.execute(HTTPClientRequest(url: daemon.internalURL + "/metrics"))
        return String(decoding: response.body, as: UTF8.self)
    }

    /// A diagnostic block for failure messages: where to look and what the logs say.
    func diagnostics() -> String {
        let errors = daemon.logLines(containing: "level=error").suffix(20).joined(separator: "\n")
        return """
            scratch: \(directory.path) (set IMAGEHOOK_KEEP_TEST_DIRS=1 to keep it)
            daemon errors (all incarnations):
            \(errors)
            current daemon log tail:
            \(daemon.logTail(30))
            """
    }
}
