import Foundation
import HTTPClient
import Testing
import Support
import TestSupport

/// "No 2xx to a callback before its bytes are durable" (DESIGN invariants): a callback
/// answered 200 and the daemon SIGKILLed at once must still have taken effect after a
/// restart. The provider's own callbacks are stopped at the TLS front (503) and the
/// provider's API answers 500 to every poll from the moment of the callback, so the only
/// thing that can make the task terminal after the restart is the acknowledged callback.
@Suite(.serialized) struct CallbackDurabilityTests {
    static let rounds = 3
    /// Kill rounds of the callback storm: `IMAGEHOOK_CRASH_LOOPS` (`.ci/crashloop` sets
    /// 50), else 3, which keeps the whole suite's run short.
    static let crashLoops: Int = {
        ProcessInfo.processInfo.environment["IMAGEHOOK_CRASH_LOOPS"].flatMap(Int.init).map { max(1, $0) } ?? 3
    }()

    @Test(.timeLimit(.minutes(2)))
    func acknowledgedCallbackSurvivesKillNine() async throws {
        let seed = SystemSeed.fromEnvironment()
        let harness = try await offPool { try SystemHarness(label: "ack", seed: seed, callbacksReachDaemon: false,
                                        daemonSettings: ["poll_grace": "10m", "poll_default_estimate": "10m"]) }
        defer { harness.shutdown() }
        try await harness.startDaemon()
        let http = harness.http
        var seenCallbackURIs: Set<String> = []

        for round in 1...Self.rounds {
            try await harness.simulator.setFaults(#"{"rates":{}}"#, http)
            let body = #"{"model":"wan2.5-text-to-image","prompt":"durable callback round \#(round) \#(seed)","size":"768x768","n":2}"#
            let submitted = try await harness.submit(body, idempotencyKey: "ack-\(seed)-\(round)")
            try #require(submitted.status == 200, "round \(round): submit answered \(submitted.status) \(String(decoding: submitted.body, as: UTF8.self))\n\(harness.diagnostics())")
            let id = try #require(try JSONObject(bytes: submitted.body).string("id"))

            // The provider settles the task and tries to call back; the front refuses.
            let (uri, providerView) = try await Self.refusedCallback(harness, taskID: id, seen: seenCallbackURIs)
            seenCallbackURIs.insert(uri)

            let before = try await harness.task(id)
            #expect(!RecoveryAudit.terminal.contains(before.string("status") ?? ""),
                    "round \(round): \(id) is already \(before.string("status") ?? "?") though no callback got through")

            // From now on every poll of the provider fails: only our callback can finish the task.
            try await harness.simulator.setFaults(#"{"rates":{"api_server_error":1}}"#, http)
            let ack = try await http.execute(HTTPClientRequest(method: "POST", url: harness.daemon.publicURL + uri,
                                                               headers: ["Content-Type": "application/json"], body: providerView))
            harness.daemon.signalKill()
            await harness.daemon.killHardAsync()
            try #require(ack.status == 200, "round \(round): callback answered \(ack.status) \(String(decoding: ack.body, as: UTF8.self))")

            try await harness.daemon.start()
            let after = try await harness.task(id)
            #expect(after.string("status") == "completed",
                    "round \(round): acknowledged callback lost across kill -9: \(id) is \(after.string("status") ?? "?") after restart: \(after.raw)\n\(harness.diagnostics())")
            #expect(after.objects("images").count == 2, "round \(round): image jobs after restart: \(after.raw)")

            // The download jobs the callback created were durable too: they finish now.
            let (views, quiet) = await RecoveryAudit.waitForQuiet(harness, taskIDs: [id], timeout: 30)
            #expect(quiet, "round \(round): images not settled: \(views[id]?.raw ?? [:])\n\(harness.diagnostics())")
            let stored = views[id]?.objects("images").filter { $0.string("state") == "stored" }.count ?? 0
            #expect(stored == 2, "round \(round): \(stored) of 2 images stored: \(views[id]?.raw ?? [:])")
        }

        let ledger = try await harness.ledger()
        #expect(ledger.bool("balanced") == true, "ledger: \(ledger.raw)")
        #expect(ledger.object("callbacks")?.int("applied") == Self.rounds,
                "only our \(Self.rounds) callbacks reached the daemon, each applied once: \(ledger.raw)")
        let stats = try await harness.simulator.stats(http)
        #expect(stats.int("callbacks_delivered") == 0, "a provider callback got through the front: \(stats.raw)")
    }

    /// Every callback answered 200 is in the journal after SIGKILL: concurrent callers
    /// hammer the public listener (the group-commit path) with the tasks' terminal
    /// bodies, the daemon is killed mid-storm at a random moment, and after the restart
    /// the journal (the ledger counts its rows, which survive restarts) holds at least
    /// as many callbacks as were acknowledged, over `crashLoops` rounds. At the end the
    /// downloads the callbacks created settle: each image stored exactly once, verified,
    /// and the ledger balanced. `.ci/crashloop` runs 50 rounds.
    @Test(.timeLimit(.minutes(20)))
    func everyAcknowledgedCallbackIsJournaledAcrossKillNine() async throws {
        let seed = SystemSeed.fromEnvironment()
        print("[callback-storm] seed \(seed) (replay with IMAGEHOOK_SYSTEM_SEED=\(seed))")
        var rng = SplitMix64(seed: seed)
        let harness = try await offPool { try SystemHarness(label: "storm", seed: seed, callbacksReachDaemon: false,
                                        daemonSettings: ["poll_grace": "10m", "poll_default_estimate": "10m"]) }
        defer { harness.shutdown() }
        try await harness.startDaemon()
        let http = harness.http

        var callbacks: [(uri: String, body: [UInt8])] = []
        var seen: Set<String> = []
        for task in 0..<3 {
            let body = #"{"model":"wan2.5-text-to-image","prompt":"callback storm \#(task) \#(seed)","size":"768x768","n":1}"#
            let submitted = try await harness.submit(body, idempotencyKey: "storm-\(seed)-\(task)")
            try #require(submitted.status == 200, "submit answered \(submitted.status)\n\(harness.diagnostics())")
            let id = try #require(try JSONObject(bytes: submitted.body).string("id"))
            let (uri, view) = try await Self.refusedCallback(harness, taskID: id, seen: seen)
            seen.insert(uri)
            callbacks.append((uri, view))
        }
        // Polls fail from here on; callbacks are the only input.
        try await harness.simulator.setFaults(#"{"rates":{"api_server_error":1}}"#, http)

        var acknowledged = 0
        var rounds: [String] = []
        let loops = Self.crashLoops
        for round in 1...loops {
            let stormFor = 0.15 + Double(rng.next() % 350) / 1000
            let publicURL = harness.daemon.publicURL
            let deadline = Date().addingTimeInterval(stormFor)
            let list = callbacks
            let acks = await withTaskGroup(of: Int.self) { group in
                for lane in 0..<12 {
                    group.addTask {
                        var ok = 0
                        var i = lane
                        while Date() < deadline {
                            let c = list[i % list.count]
                            i += 1
                            if let r = try? await http.execute(HTTPClientRequest(method: "POST", url: publicURL + c.uri,
                                                                                 headers: ["Content-Type": "application/json"],
                                                                                 body: c.body)),
                               r.status == 200 { ok += 1 }
                        }
                        return ok
                    }
                }
                // The killer: SIGKILL while the callers are mid-request.
                group.addTask {
                    try? await Task.sleep(nanoseconds: UInt64(stormFor * 1e9))
                    harness.daemon.signalKill()
                    await harness.daemon.killHardAsync()
                    return 0
                }
                var total = 0
                for await n in group { total += n }
                return total
            }
            acknowledged += acks
            try await harness.daemon.start()
            let ledger = try await harness.ledger()
            let journaled = ledger.object("callbacks")?.int("received") ?? -1
            rounds.append("round \(round): storm \(String(format: "%.2f", stormFor)) s, \(acks) acknowledged, journal \(journaled)")
            // One table row per kill for `.ci/crashloop`.
            print("[crash-loop] \(round) \(String(format: "%.3f", stormFor)) \(acks) \(acknowledged) \(journaled) \(ledger.bool("balanced") == true)")
            #expect(journaled >= acknowledged, """
                seed \(seed) round \(round): \(acknowledged) callbacks answered 200 but only \(journaled) journaled after kill -9: \
                \(ledger.raw)\n\(harness.diagnostics())
                """)
            #expect(ledger.bool("balanced") == true, "seed \(seed) round \(round): \(ledger.raw)")
        }
        var ids: [String] = []
        for (uri, view) in callbacks {
            let id = try #require(try JSONObject(bytes: view).string("id"))
            let task = try await harness.task(id)
            #expect(task.string("status") == "completed", "\(uri): \(task.raw)")
            ids.append(id)
        }
        // The downloads the acknowledged callbacks created survive every kill too: each
        // image ends stored exactly once (one verified file per hash, nothing in tmp/),
        // and the books balance with nothing in flight.
        let (views, quiet) = await RecoveryAudit.waitForQuiet(harness, taskIDs: ids, timeout: 60)
        #expect(quiet, "seed \(seed): images not settled after \(loops) kills: \(views.mapValues(\.raw))\n\(harness.diagnostics())")
        var expected: [String: (Int, Int)] = [:]
        var storedJobs = 0
        for view in views.values {
            for image in view.objects("images") where image.string("state") == "stored" {
                storedJobs += 1
                if let sha = image.string("sha256") { expected[sha] = (768, 768) }
            }
        }
        #expect(storedJobs == callbacks.count, "seed \(seed): \(storedJobs) of \(callbacks.count) images stored: \(views.mapValues(\.raw))")
        var audit = RecoveryAudit(harness: harness)
        await audit.checkDisk(expected: expected)
        _ = await audit.checkLedger(storedImageJobs: storedJobs)
        #expect(audit.problems.isEmpty, "seed \(seed): \(audit.problems.joined(separator: "\n"))\n\(harness.diagnostics())")
        print("[callback-storm] seed \(seed): \(rounds.joined(separator: "; "))")
    }

    /// Waits (bounded) until the provider has completed `taskID` and tried its callback
    /// (refused by the front); returns the callback's path and the provider's task JSON.
    static func refusedCallback(_ harness: SystemHarness, taskID id: String, seen: Set<String>) async throws -> (String, [UInt8]) {
        var providerView: [UInt8] = []
        var callbackURI: String?
        let end = Date().addingTimeInterval(30)
        while Date() < end, providerView.isEmpty || callbackURI == nil {
            if providerView.isEmpty,
               let r = try? await harness.http.execute(HTTPClientRequest(url: harness.simulator.baseURL + "/v1/tasks/" + id,
                                                                         headers: ["Authorization": "Bearer \(harness.simulator.apiKey)"])),
               r.status == 200, (try? JSONObject(bytes: r.body))?.string("status") == "completed" {
                providerView = r.body
            }
            callbackURI = harness.front.loggedURIs(method: "POST", prefix: "/v1/callbacks/").first { !seen.contains($0) }
            if providerView.isEmpty || callbackURI == nil { try await Task.sleep(nanoseconds: 100_000_000) }
        }
        let simLines = harness.directory.read("evolink-sim.log").split(separator: "\n").filter { $0.contains(id) }
        let context = """
            provider log for \(id):
            \(simLines.suffix(12).joined(separator: "\n"))
            front log: \(harness.front.loggedURIs(method: "POST", prefix: "/").suffix(8))
            \(harness.diagnostics())
            """
        guard let callbackURI else { throw SystemFailure("the provider never tried the callback URL of \(id) within 30 s\n\(context)") }
        guard !providerView.isEmpty else { throw SystemFailure("the provider never completed \(id) within 30 s\n\(context)") }
        return (callbackURI, providerView)
    }
}
