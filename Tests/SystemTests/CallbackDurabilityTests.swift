import Foundation
import HTTPClient
import Testing

/// "No 2xx to a callback before its bytes are durable" (DESIGN invariants): a callback
/// answered 200 and the daemon SIGKILLed at once must still have taken effect after a
/// restart. The provider's own callbacks are stopped at the TLS front (503) and the
/// provider's API answers 500 to every poll from the moment of the callback, so the only
/// thing that can make the task terminal after the restart is the acknowledged callback.
@Suite(.serialized) struct CallbackDurabilityTests {
    static let rounds = 3

    @Test(.timeLimit(.minutes(2)))
    func acknowledgedCallbackSurvivesKillNine() async throws {
        let seed = SeededGenerator.seedFromEnvironment()
        let harness = try SystemHarness(label: "ack", seed: seed, callbacksReachDaemon: false,
                                        daemonSettings: ["poll_grace": "10m", "poll_default_estimate": "10m"])
        defer { harness.shutdown() }
        try await harness.daemon.start(harness.http)
        let http = harness.http
        var seenCallbackURIs: Set<String> = []

        for round in 1...Self.rounds {
            try await harness.simulator.setFaults(#"{"rates":{}}"#, http)
            let body = #"{"model":"wan2.5-text-to-image","prompt":"durable callback round \#(round) \#(seed)","size":"768x768","n":2}"#
            let submitted = try await harness.submit(body, idempotencyKey: "ack-\(seed)-\(round)")
            try #require(submitted.status == 200, "round \(round): submit answered \(submitted.status) \(String(decoding: submitted.body, as: UTF8.self))\n\(harness.diagnostics())")
            let id = try #require(try JSONObject(bytes: submitted.body).string("id"))

            // The provider settles the task and tries to call back; the front refuses.
            var providerView: [UInt8] = []
            var callbackURI: String?
            let end = Date().addingTimeInterval(20)
            while Date() < end, providerView.isEmpty || callbackURI == nil {
                if providerView.isEmpty,
                   let r = try? await http.execute(HTTPClientRequest(url: harness.simulator.baseURL + "/v1/tasks/" + id,
                                                                     headers: ["Authorization": "Bearer \(harness.simulator.apiKey)"])),
                   r.status == 200, (try? JSONObject(bytes: r.body))?.string("status") == "completed" {
                    providerView = r.body
                }
                callbackURI = harness.front.loggedURIs(method: "POST", prefix: "/v1/callbacks/")
                    .first { !seenCallbackURIs.contains($0) }
                if providerView.isEmpty || callbackURI == nil { try await Task.sleep(nanoseconds: 100_000_000) }
            }
            let uri = try #require(callbackURI, "round \(round): the provider never tried the callback URL")
            try #require(!providerView.isEmpty, "round \(round): the provider never completed \(id)")
            seenCallbackURIs.insert(uri)

            let before = try await harness.task(id)
            #expect(!RecoveryAudit.terminal.contains(before.string("status") ?? ""),
                    "round \(round): \(id) is already \(before.string("status") ?? "?") though no callback got through")

            // From now on every poll of the provider fails: only our callback can finish the task.
            try await harness.simulator.setFaults(#"{"rates":{"api_server_error":1}}"#, http)
            let ack = try await http.execute(HTTPClientRequest(method: "POST", url: harness.daemon.publicURL + uri,
                                                               headers: ["Content-Type": "application/json"], body: providerView))
            harness.daemon.killHard()
            try #require(ack.status == 200, "round \(round): callback answered \(ack.status) \(String(decoding: ack.body, as: UTF8.self))")

            try await harness.daemon.start(harness.http)
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
}
