import EvoLink
import EvoLinkSim
import Foundation
import HTTP1
import HTTPClient
import HTTPServer
import Logging
import Store
import Testing
@testable import ImageHook
import Support
import TestSupport

/// `kill -9` of the service process at random points under load, restarted each time
/// on the same data directory: no acknowledged callback is lost, every image ends up
/// stored and verified, nothing is submitted twice, the ledger balances.
@Suite struct KillNineTests {
    /// The test binary itself, re-run to host only `ChildServiceHost`.
    final class Child: Sendable {
        let process: ChildProcess
        init(env: [String: String]) throws {
            var environment = ProcessInfo.processInfo.environment
            environment.merge(env) { $1 }
            process = try ChildProcess(ProcessInfo.processInfo.arguments[0],
                                       ["--testing-library", "swift-testing", "--filter", "ChildServiceHost"],
                                       environment: environment, stderr: .discard, name: "service-host")
        }
        /// Waits (bounded) on an OS thread of its own: a blocked cooperative thread
        /// stalls every other suite running in this process.
        func waitReady(timeout: Double = 30) async -> Bool {
            let process = self.process
            return (try? await offPool { try process.waitForLine(containing: "CHILD READY", timeout: timeout) }) != nil
        }
        /// SIGKILL, then wait (bounded, without blocking a pool thread) until it is reaped.
        func kill9(timeout: Double = 10) async {
            kill(process.pid, SIGKILL)
            let exit = await process.exited(within: timeout)
            #expect(exit == .signalled(SIGKILL), "child not reaped after SIGKILL within \(timeout) s")
        }
    }

    /// A free loopback port: bind port 0, read it, release it.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["IMAGEHOOK_CHILD_DATA"] == nil, "not inside the child"))
    func killNineAtRandomPointsUnderLoad() async throws {
        var logger = Logger(label: "kill9")
        logger.logLevel = .critical
        var simConfig = Harness.fastSim()
        simConfig.faults.imageServerError = 0.2
        simConfig.faults.duplicateCallback = 0.3
        let sim = Simulator(configuration: simConfig, logger: logger)
        try sim.start()
        let dir = TempDir()
        let publicPort = Self.freePort(), internalPort = Self.freePort()
        let env = ["IMAGEHOOK_CHILD_DATA": dir.path, "IMAGEHOOK_CHILD_PUBLIC_PORT": String(publicPort),
                   "IMAGEHOOK_CHILD_INTERNAL_PORT": String(internalPort), "IMAGEHOOK_CHILD_SIM": sim.baseURL]
        let client = HTTPClient(configuration: HTTPClientConfiguration(
            timeouts: HTTPClientTimeouts(dns: 2, connect: 2, tls: 2, firstByte: 10, idle: 10, total: 15),
            allowPlainHTTP: true, addressPolicy: .trusted, maxIdleConnectionsPerOrigin: 0))
        let internalURL = "http://127.0.0.1:\(internalPort)"
        func submit(_ key: String) async -> [UInt8]? {
            let r = try? await client.execute(HTTPClientRequest(
                method: "POST", url: internalURL + "/v1/images/generations",
                headers: ["Authorization": "Bearer \(Harness.callerToken)", "Idempotency-Key": key],
                body: Harness.body(prompt: "crash \(key)", n: 2)))
            return r?.status == 200 ? r?.body : nil
        }

        var keys: [String] = []
        var answered: [String: String] = [:]  // key -> task id
        var rng = SystemRandomNumberGenerator()
        for round in 0..<4 {
            let child = try Child(env: env)
            #expect(await child.waitReady(), "child did not start: \(child.process.tail())")
            // Load: a few submits (and retries of unanswered keys, same key), then a
            // kill at a random point while callbacks and downloads are in flight.
            for i in 0..<4 { keys.append("r\(round)-\(i)") }
            await withTaskGroup(of: (String, [UInt8]?).self) { group in
                for key in keys where answered[key] == nil {
                    group.addTask { (key, await submit(key)) }
                }
                for await (key, body) in group {
                    if let body, let id = JSONValue.parse(body)?["id"]?.stringValue { answered[key] = id }
                }
            }
            try await Task.sleep(nanoseconds: UInt64.random(in: 50_000_000...900_000_000, using: &rng))
            await child.kill9()
        }
        // Final life: resubmit unanswered keys (same key), then let everything settle.
        let child = try Child(env: env)
        #expect(await child.waitReady())
        for key in keys where answered[key] == nil {
            if let body = await submit(key), let id = JSONValue.parse(body)?["id"]?.stringValue { answered[key] = id }
        }
        #expect(answered.count == keys.count)
        var settled = false
        let deadline = Date().addingTimeInterval(90)
        var views: [JSONValue] = []
        while Date() < deadline && !settled {
            views = []
            for id in answered.values {
                let r = try? await client.execute(HTTPClientRequest(url: internalURL + "/v1/tasks/" + id,
                                                                    headers: ["Authorization": "Bearer \(Harness.callerToken)"]))
                if let body = r?.body, let v = JSONValue.parse(body) { views.append(v) }
            }
            settled = views.count == answered.count && views.allSatisfy { v in
                v["status"]?.stringValue == "completed"
                    && v["images"]?.arrayValue.count == 2
                    && (v["images"]?.arrayValue.allSatisfy { $0["state"]?.stringValue == "stored" } ?? false)
            }
            if !settled { try await Task.sleep(nanoseconds: 200_000_000) }
        }
        #expect(settled, "unsettled: \(views.filter { $0["status"]?.stringValue != "completed" }.count) tasks")
        // Every stored file is complete and verified: its bytes hash to its name.
        for v in views {
            for image in v["images"]?.arrayValue ?? [] {
                guard let sha = image["sha256"]?.stringValue, let name = image["url"]?.stringValue?.split(separator: "/").last,
                      let data = FileManager.default.contents(atPath: dir.path + "/images/\(sha.prefix(2))/\(name)") else {
                    Issue.record("missing file for \(v["id"]?.stringValue ?? "?")")
                    continue
                }
                #expect(SHA256.hex(Array(data)) == sha)
            }
        }
        // Nothing submitted twice; no acknowledged callback lost (journaled >= 2xx seen).
        let stats = sim.stats
        #expect(stats.tasksSubmitted == keys.count)
        let ledgerResponse = try await client.execute(HTTPClientRequest(url: internalURL + "/v1/ledger",
                                                                     headers: ["Authorization": "Bearer \(Harness.callerToken)"]))
        let ledger = try #require(JSONValue.parse(ledgerResponse.body))
        #expect(ledger["balanced"] == .bool(true))
        let callbacks = ledger["callbacks"]
        let journaled = (callbacks?["applied"]?.intValue ?? 0) + (callbacks?["duplicate"]?.intValue ?? 0)
            + (callbacks?["rejected_stale"]?.intValue ?? 0) + (callbacks?["rejected_conflict"]?.intValue ?? 0)
        #expect(journaled >= stats.callbacksDelivered, "journaled \(journaled) < delivered \(stats.callbacksDelivered)")
        #expect(ledger["images"]?["stored"]?.intValue == keys.count * 2)
        print("kill -9 run: tasks=\(keys.count) sim_submitted=\(stats.tasksSubmitted) callbacks_delivered=\(stats.callbacksDelivered) "
              + "callbacks_failed=\(stats.callbacksFailed) journaled=\(journaled) images_faulted=\(stats.imagesFaulted) "
              + "ledger=\(String(decoding: ledgerResponse.body, as: UTF8.self))")
        await child.kill9()
        await sim.stop()
        dir.remove()
    }
}
