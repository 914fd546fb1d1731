import EvoLink
import EvoLinkSim
import Foundation
import HTTPClient
import Store
import Testing
@testable import ImageHook

@Suite struct RelayTests {
    @Test func relayIsRetriedWithTheSameWebhookIDUntilA2xx() async throws {
        let h = try Harness()
        h.relay.failures.withLock { $0 = [500, 503, 404] }
        try await h.start()
        let r = try await h.submit(Harness.body(callbackURL: h.relayURL), key: "relay-retry")
        let id = try #require(JSONValue.parse(r.body)?["id"]?.stringValue)
        _ = try await h.waitSettled(id)
        #expect(await h.eventually { (try? await h.service.ledger().relaysDelivered) == 1 })
        let deliveries = h.relay.deliveries.withLock { $0 }
        #expect(deliveries.count == 4)
        let ids = Set(deliveries.compactMap { $0.headers["webhook-id"] })
        #expect(ids.count == 1)
        let signer = WebhookSigner(secret: h.relaySecret)
        for d in deliveries {
            let ts = Int(d.headers["webhook-timestamp"] ?? "") ?? 0
            #expect(signer.verify(id: ids.first ?? "", timestamp: ts, body: d.body, header: d.headers["webhook-signature"] ?? ""))
        }
        #expect(try await h.service.ledger().balanced)
        await h.stop()
    }

    @Test func taskListFiltersAndPages() async throws {
        let h = try Harness()
        try await h.start()
        try h.sim.applyFaults(FaultUpdate(nextTasks: [TaskFaults(), TaskFaults(failWith: "service_error"), TaskFaults()]))
        var ids: [String] = []
        for i in 0..<3 {
            let r = try await h.submit(Harness.body(prompt: "list \(i)"), key: "list-\(i)")
            ids.append(try #require(JSONValue.parse(r.body)?["id"]?.stringValue))
        }
        for id in ids { _ = try await h.waitSettled(id, relay: false) }
        let page1 = try #require(JSONValue.parse(try await h.get("/v1/tasks?limit=2").body))
        #expect(page1["data"]?.arrayValue.count == 2)
        let cursor = try #require(page1["next_cursor"]?.stringValue)
        let page2 = try #require(JSONValue.parse(try await h.get("/v1/tasks?limit=2&cursor=\(cursor)").body))
        #expect(page2["data"]?.arrayValue.count == 1)
        let all = (page1["data"]?.arrayValue ?? []) + (page2["data"]?.arrayValue ?? [])
        #expect(Set(all.compactMap { $0["id"]?.stringValue }) == Set(ids))
        let failed = try #require(JSONValue.parse(try await h.get("/v1/tasks?status=failed").body))
        #expect(failed["data"]?.arrayValue.compactMap { $0["id"]?.stringValue } == [ids[1]])
        #expect(try await h.get("/v1/tasks?status=bogus").status == 400)
        let ledger = try #require(JSONValue.parse(try await h.get("/v1/ledger").body))
        #expect(ledger["balanced"] == .bool(true))
        await h.stop()
    }
}

/// A delivery whose task row is gone ends with a reason instead of being re-leased.
@Suite struct RelayWithoutTaskTests {
    @Test func deliveryForAMissingTaskIsGivenUpWithAReason() async throws {
        let h = try Harness()
        try await h.start()
        let orphan = RelayDeliveryRecord(taskID: "task-unified-1-gone", url: h.relayURL, webhookID: "msg_orphan",
                                         nextAttemptAt: 0, updatedAt: 0)
        try await h.service.database.write { tx in try RelayDeliveryRepository.insertIfAbsent(orphan, in: tx) }
        let ended = await h.eventually {
            let r = try? await h.service.database.read { try RelayDeliveryRepository.find(taskID: "task-unified-1-gone", in: $0) }
            return r?.state == .givenUp
        }
        #expect(ended)
        let record = try await h.service.database.read { try RelayDeliveryRepository.find(taskID: "task-unified-1-gone", in: $0) }
        #expect(record?.lastError?.contains("no longer exists") == true, "\(String(describing: record))")
        #expect(h.relay.deliveries.withLock { $0.isEmpty })
        await h.stop()
    }
}
