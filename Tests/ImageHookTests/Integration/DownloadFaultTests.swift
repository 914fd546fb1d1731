import EvoLink
import EvoLinkSim
import Foundation
import HTTPClient
import Testing
@testable import ImageHook

@Suite struct DownloadFaultTests {
    func submit(_ h: Harness, fault: ImageFault?, key: String) async throws -> String {
        try h.sim.applyFaults(FaultUpdate(nextTasks: [TaskFaults(image: fault)]))
        let r = try await h.submit(Harness.body(), key: key)
        return try #require(JSONValue.parse(r.body)?["id"]?.stringValue)
    }

    func image(_ view: JSONValue?) -> JSONValue? { view?["images"]?.arrayValue.first }

    @Test func permanentFaultsEndInTheRightStateWithAReason() async throws {
        let h = try Harness(tweak: { $0.maxContentFaultAttempts = 2 })
        try await h.start()
        let cases: [(ImageFault, String, String)] = [
            (.forbidden, "failed", "403"), (.wrongContentType, "failed", "Content-Type"),
            (.truncated, "failed", "truncated"), (.corrupt, "failed", "corrupt"),
        ]
        var ids: [(String, String, String)] = []
        for (i, (fault, state, reason)) in cases.enumerated() {
            ids.append((try await submit(h, fault: fault, key: "perm-\(i)"), state, reason))
        }
        for (id, state, reason) in ids {
            let img = image(try await h.waitSettled(id, relay: false))
            #expect(img?["state"]?.stringValue == state, "task \(id)")
            let why = img?["reason"]?.stringValue ?? ""
            #expect(why.localizedCaseInsensitiveContains(reason), "reason was: \(why)")
        }
        let ledger = try await h.service.ledger()
        #expect(ledger.balanced)
        #expect(ledger.imagesFailed == 4)
        #expect(ledger.imagesStored == 0)
        await h.stop()
    }

    @Test func transientFaultsAreRetriedToSuccess() async throws {
        let h = try Harness()
        try await h.start()
        let broken = try await submit(h, fault: .serverError, key: "5xx")
        let slow = try await submit(h, fault: .slow, key: "slow")
        // Let the 5xx task fail a few attempts, then heal its links.
        #expect(await h.eventually {
            (try? await h.task(broken)).flatMap { image($0)?["attempts"]?.intValue }.map { $0 >= 2 } ?? false
        })
        try h.sim.applyFaults(FaultUpdate(tasks: [broken: TaskFaults()]))
        for id in [broken, slow] {
            let img = image(try await h.waitSettled(id, relay: false))
            #expect(img?["state"]?.stringValue == "stored", "task \(id)")
        }
        let ledger = try await h.service.ledger()
        #expect(ledger.balanced)
        #expect(ledger.imagesStored == 2)
        await h.stop()
    }

    @Test func linksPastTheirExpiryEndExpired() async throws {
        let h = try Harness()
        try await h.start()
        let id = try await submit(h, fault: .serverError, key: "expiry")
        #expect(await h.eventually {
            (try? await h.task(id)).flatMap { image($0)?["attempts"]?.intValue }.map { $0 >= 1 } ?? false
        })
        h.clock.advance(86_400 + 60)
        let img = image(try await h.waitSettled(id, relay: false))
        #expect(img?["state"]?.stringValue == "expired")
        #expect(img?["reason"]?.stringValue?.contains("expired") == true)
        let ledger = try await h.service.ledger()
        #expect(ledger.imagesExpired == 1)
        #expect(ledger.balanced)
        await h.stop()
    }

    @Test func unfinishedWorkResumesAfterARestart() async throws {
        let h = try Harness()
        try await h.start()
        let id = try await submit(h, fault: .serverError, key: "restart")
        #expect(await h.eventually {
            (try? await h.task(id)).flatMap { image($0)?["attempts"]?.intValue }.map { $0 >= 1 } ?? false
        })
        try h.sim.applyFaults(FaultUpdate(tasks: [id: TaskFaults()]))
        try await h.restartService()
        let img = image(try await h.waitSettled(id, relay: false))
        #expect(img?["state"]?.stringValue == "stored", "reason: \(img?["reason"]?.stringValue ?? "-")")
        // The idempotency record survived too: a replay sends nothing.
        let replay = try await h.submit(Harness.body(), key: "restart")
        #expect(replay.headers["Idempotency-Replayed"] == "true")
        #expect(h.sim.stats.tasksSubmitted == 1)
        #expect(try await h.service.ledger().balanced)
        await h.stop()
    }
}
