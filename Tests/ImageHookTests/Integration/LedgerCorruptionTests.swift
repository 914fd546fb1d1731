import Foundation
import Store
import Testing
@testable import ImageHook

/// The ledger must be able to fail: each test settles a real task (callback, two stored
/// images, a delivered relay), then removes one row behind the service's back, the way a
/// bug that skipped a write would leave it, and expects the ledger to name the gap.
@Suite struct LedgerCorruptionTests {
    @Test(arguments: [
        ("DELETE FROM journal WHERE rowid = (SELECT MAX(rowid) FROM journal WHERE source = 'callback')",
         "1 callbacks answered 2xx have no callback journal entries"),
        ("DELETE FROM download_jobs WHERE idx = 1",
         "1 images promised by completed tasks have no download jobs"),
        ("DELETE FROM relay_deliveries",
         "1 relays owed by finished tasks have no relay records"),
    ])
    func aMissingRowUnbalancesTheLedger(corruption: String, problem: String) async throws {
        let h = try Harness(tweak: { $0.pollGrace = 3600 })
        try await h.start()
        let response = try await h.submit(Harness.body(n: 2, callbackURL: h.relayURL), key: "ledger-1")
        let id = try #require(JSONValue.parse(response.body)?["id"]?.stringValue)
        _ = try await h.waitSettled(id)
        #expect(await h.eventually { (try? await h.service.ledger().relaysDelivered) == 1 })
        let before = try await h.service.ledger()
        #expect(before.problems == [])
        #expect(before.callbacksAnswered2xx >= 1)

        try await h.service.database.write { tx in try tx.execute(corruption) }

        let after = try await h.service.ledger()
        #expect(!after.balanced)
        #expect(after.problems == [problem])
        let body = try #require(JSONValue.parse(try await h.get("/v1/ledger").body))
        #expect(body["balanced"] == .bool(false))
        #expect(body["problems"]?.arrayValue.compactMap(\.stringValue) == [problem])
        await h.stop()
    }
}
