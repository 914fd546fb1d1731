import EvoLink
import EvoLinkSim
import Foundation
import HTTPClient
import Testing
@testable import ImageHook

@Suite struct CallbackTests {
    /// The provider's own task JSON for `id`, as raw bytes.
    func providerTask(_ h: Harness, _ id: String) async throws -> [UInt8] {
        try await h.client.execute(HTTPClientRequest(url: h.sim.baseURL + "/v1/tasks/" + id,
                                                     headers: ["Authorization": "Bearer sim-key"])).body
    }

    @Test func duplicateStormAndOutOfOrderCallbacks() async throws {
        var simConfig = Harness.fastSim()
        simConfig.faults.duplicateCallback = 1
        simConfig.faults.staleCallback = 1
        let h = try Harness(sim: simConfig)
        try await h.start()
        let submit = try await h.submit(Harness.body(n: 2, callbackURL: h.relayURL), key: "storm")
        let id = try #require(JSONValue.parse(submit.body)?["id"]?.stringValue)
        _ = try #require(try await h.waitSettled(id))
        let token = try await h.callbackToken(key: "storm")
        let final = try await providerTask(h, id)

        // 50 copies of the terminal callback, 10 at a time: all 2xx, no new work.
        var statuses: [Int] = []
        for _ in 0..<5 {
            statuses += try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<10 { group.addTask { try await h.postCallback(token: token, body: final).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
        }
        #expect(statuses.allSatisfy { $0 == 200 })

        // Out of order: an older status is stale; a different terminal is a conflict;
        // neither changes the task.
        var stale = JSONValue.parse(final)!
        stale.set("status", .string("processing"))
        stale.set("progress", .int(50))
        let staleAnswer = try await h.postCallback(token: token, body: stale.encoded())
        #expect(staleAnswer.status == 200)
        #expect(JSONValue.parse(staleAnswer.body)?["outcome"]?.stringValue == "stale")
        var conflicting = JSONValue.parse(final)!
        conflicting.set("status", .string("failed"))
        conflicting.set("error", .object([("code", .string("service_error"))]))
        let conflictAnswer = try await h.postCallback(token: token, body: conflicting.encoded())
        #expect(JSONValue.parse(conflictAnswer.body)?["outcome"]?.stringValue == "conflict")

        // A body for another task: 409; not task JSON: 400; unknown token: 404.
        var other = JSONValue.parse(final)!
        other.set("id", .string("task-unified-1-other"))
        #expect(try await h.postCallback(token: token, body: other.encoded()).status == 409)
        #expect(try await h.postCallback(token: token, body: Array("not json".utf8)).status == 400)
        #expect(try await h.postCallback(token: "AAAAAAAAAAAAAAAAAAAAAA", body: final).status == 404)
        // Oversized body: 413 from the server's per-route limit.
        let huge = [UInt8](repeating: 0x20, count: h.configuration.callbackBodyLimit + 1)
        #expect(try await h.postCallback(token: token, body: huge).status == 413)

        let view = try #require(try await h.task(id))
        #expect(view["status"]?.stringValue == "completed")
        #expect(view["images"]?.arrayValue.count == 2)
        let ledger = try await h.service.ledger()
        #expect(ledger.balanced)
        #expect(ledger.callbacksApplied == 1)
        #expect(ledger.callbacksDuplicate >= 50)
        #expect(ledger.rejectedStale >= 1)
        #expect(ledger.rejectedConflict == 1)
        #expect(ledger.rejectedMismatch == 1)
        #expect(ledger.rejectedInvalid == 2)
        #expect(ledger.imagesExpected == 2)
        #expect(ledger.imagesStored == 2)
        #expect(ledger.relaysDelivered == 1)
        #expect(h.relay.deliveries.withLock { $0.count } == 1)
        await h.stop()
    }

    @Test func droppedCallbackIsRecoveredByTheReconciler() async throws {
        var simConfig = Harness.fastSim()
        simConfig.faults.dropCallback = 1
        let h = try Harness(sim: simConfig)
        try await h.start()
        let submit = try await h.submit(Harness.body(), key: "dropped")
        let id = try #require(JSONValue.parse(submit.body)?["id"]?.stringValue)
        let view = try #require(try await h.waitSettled(id, relay: false))
        #expect(view["status"]?.stringValue == "completed")
        #expect(view["images"]?.arrayValue.first?["state"]?.stringValue == "stored")
        let ledger = try await h.service.ledger()
        #expect(ledger.callbacksReceived == 0)
        #expect(ledger.pollsApplied >= 1)
        #expect(ledger.balanced)
        await h.stop()
    }

    @Test func failedAndCancelledTasksKeepTheirErrorAndRelay() async throws {
        let h = try Harness()
        try await h.start()
        try h.sim.applyFaults(FaultUpdate(nextTasks: [TaskFaults(failWith: "content_policy_violation"), TaskFaults(cancel: true)]))
        let a = try await h.submit(Harness.body(callbackURL: h.relayURL), key: "fail")
        let b = try await h.submit(Harness.body(callbackURL: h.relayURL), key: "cancel")
        let idA = try #require(JSONValue.parse(a.body)?["id"]?.stringValue)
        let idB = try #require(JSONValue.parse(b.body)?["id"]?.stringValue)
        let va = try #require(try await h.waitSettled(idA))
        let vb = try #require(try await h.waitSettled(idB))
        #expect(va["status"]?.stringValue == "failed")
        #expect(va["error"]?["code"]?.stringValue == "content_policy_violation")
        #expect(vb["status"]?.stringValue == "cancelled")
        #expect(await h.eventually { h.relay.deliveries.withLock { $0.count } == 2 })
        let ledger = try await h.service.ledger()
        #expect(ledger.balanced)
        #expect(ledger.imagesExpected == 0)
        await h.stop()
    }

    @Test func fullDiskAnswers503NeverA2xx() async throws {
        let h = try Harness()
        try await h.start()
        let submit = try await h.submit(Harness.body(), key: "full")
        let id = try #require(JSONValue.parse(submit.body)?["id"]?.stringValue)
        _ = try #require(try await h.waitSettled(id, relay: false))
        let token = try await h.callbackToken(key: "full")
        // Freeze the file at its current size: any write needing a page fails (SQLITE_FULL).
        _ = try await h.service.database.write { tx in
            let pages = try tx.scalar("PRAGMA page_count").int ?? 1
            return try tx.scalar("PRAGMA max_page_count = \(pages)").int ?? 0
        }
        var body = JSONValue.parse(try await providerTask(h, id))!
        body.set("padding", .string(String(repeating: "x", count: 100_000)))
        let answer = try await h.postCallback(token: token, body: body.encoded())
        #expect(answer.status == 503)
        #expect(answer.headers["Retry-After"] != nil)
        // The service keeps serving reads.
        #expect(try await h.get("/v1/tasks/" + id).status == 200)
        let ledger = try await h.service.ledger()
        #expect(ledger.rejectedInvalid == 1)
        #expect(ledger.balanced)
        await h.stop()
    }
}
