import Foundation
import HTTPClient
import Store
import Testing
@testable import ImageHook

/// Many tasks over (test-clock) time with retention of a few seconds: what is kept must
/// stop growing, and pruning must keep the ledger balanced.
@Suite struct RetentionSoakTests {
    static func shortRetention(_ c: inout ServiceConfiguration) {
        c.pollGrace = 3600
        c.retention.journal = 2
        c.retention.idempotency = 2
        c.retention.finishedTasks = 2
        c.retention.relays = 2
        c.retention.images = 2
        c.retention.interval = 3600   // the test runs the passes itself
        c.retention.batchRows = 40    // several writes per pass
        c.retention.batchPause = 0
    }

    /// Database pages in use (what incremental vacuum gives back) and bytes under images/.
    static func sizes(_ h: Harness) async throws -> (database: Int, images: Int) {
        let database = try await h.service.database.read { db in
            (try db.scalar("PRAGMA page_count").int ?? 0) * (try db.scalar("PRAGMA page_size").int ?? 0)
        }
        var images = 0
        let root = h.dir.path + "/images"
        if let walker = FileManager.default.enumerator(atPath: root) {
            for case let name as String in walker {
                let attributes = try? FileManager.default.attributesOfItem(atPath: root + "/" + name)
                if attributes?[.type] as? FileAttributeType == .typeRegular {
                    images += (attributes?[.size] as? NSNumber)?.intValue ?? 0
                }
            }
        }
        return (database, images)
    }

    @Test func databaseAndImagesPlateauAndTheLedgerStaysBalanced() async throws {
        let h = try Harness(tweak: Self.shortRetention)
        try await h.start()
        // Space freed by pruning can be given back only in incremental-vacuum mode.
        #expect(try await h.service.database.read { try $0.scalar("PRAGMA auto_vacuum").int } == 2)
        var database: [Int] = [], images: [Int] = []
        var pruned = PruneReport()
        let rounds = 12, perRound = 4
        for round in 0..<rounds {
            var ids: [String] = []
            for i in 0..<perRound {
                let body = Harness.body(prompt: "soak round \(round) task \(i)", n: 2, callbackURL: h.relayURL)
                let response = try await h.submit(body, key: "soak-\(round)-\(i)")
                ids.append(try #require(JSONValue.parse(response.body)?["id"]?.stringValue))
            }
            for id in ids { _ = try await h.waitSettled(id) }
            let delivered = (round + 1) * perRound
            #expect(await h.eventually { (try? await h.service.ledger().relaysDelivered) == delivered })
            h.clock.advance(5)
            let report = await h.service.pruneNow()
            pruned.tasks += report.tasks
            pruned.filesDeleted += report.filesDeleted
            let size = try await Self.sizes(h)
            database.append(size.database)
            images.append(size.images)
            let ledger = try await h.service.ledger()
            #expect(ledger.balanced, "round \(round): \(ledger.problems)")
        }
        // Every settled task is past its retention by the pass after its round, so what
        // is kept never builds up: the late rounds are no bigger than the early ones.
        #expect(pruned.tasks == rounds * perRound, "\(pruned)")
        #expect(pruned.filesDeleted == rounds * perRound * 2, "\(pruned)")
        let early = database[2...4].max()!, late = database[(rounds - 4)...].max()!
        #expect(late <= early + early / 10, "database pages by round: \(database)")
        let earlyImages = images[2...4].max()!, lateImages = images[(rounds - 4)...].max()!
        #expect(lateImages <= earlyImages + earlyImages / 10, "image bytes by round: \(images)")
        let ledger = try await h.service.ledger()
        #expect(ledger.balanced, "\(ledger.problems)")
        #expect(ledger.relaysDelivered == rounds * perRound)
        #expect(ledger.imagesExpected == rounds * perRound * 2)
        #expect(ledger.prunedImageJobs == rounds * perRound * 2)
        // And the rows agree with the counters after all that deleting.
        let differences = try await h.service.database.read { try CounterAudit.differences(in: $0) }
        #expect(differences == [])
        await h.stop()
    }

    /// A big history pruned gives its pages back to the file system (incremental
    /// vacuum), in writes of at most `prune_batch_rows` rows, and the ledger keeps
    /// counting what was pruned.
    @Test func prunedSpaceIsGivenBack() async throws {
        let h = try Harness(tweak: Self.shortRetention)
        try await h.start()
        let old = h.clock.now() - 3600
        let body = [UInt8](repeating: 0x7B, count: 2048)
        for chunk in 0..<10 {
            try await h.service.database.write { tx in
                for i in 0..<500 {
                    try JournalRepository.append(taskID: "task-unified-0-\(chunk)-\(i)", source: "poll",
                                                 outcome: "duplicate", body: body, at: old, in: tx)
                }
            }
        }
        let before = try await Self.sizes(h).database
        let report = await h.service.pruneNow()
        let after = try await Self.sizes(h).database
        #expect(report.journalEntries == 5000)
        #expect(report.writes >= 5000 / 40)
        #expect(report.pagesFreed > 0)
        #expect(after < before / 5, "database bytes before \(before), after \(after)")
        let ledger = try await h.service.ledger()
        #expect(ledger.prunedJournal == 5000)
        #expect(ledger.pollsUnchanged == 5000)
        await h.stop()
    }

    /// What retention removed answers with a JSON error, never a 500: an image past
    /// retention_images is 410 (its task still shows it as `removed`), a pruned task 404.
    @Test func prunedAnswers410And404WithJSONErrors() async throws {
        let h = try Harness(tweak: { c in
            Self.shortRetention(&c)
            c.retention.finishedTasks = 0
        })
        try await h.start()
        let response = try await h.submit(Harness.body(prompt: "kept task, expiring image", n: 1), key: "gone-1")
        let id = try #require(JSONValue.parse(response.body)?["id"]?.stringValue)
        let view = try #require(try await h.waitSettled(id, relay: false))
        let url = try #require(view["images"]?.arrayValue.first?["url"]?.stringValue)
        #expect(try await h.client.execute(HTTPClientRequest(url: url, headers: ["Authorization": "Bearer \(Harness.callerToken)"])).status == 200)

        h.clock.advance(5)
        let report = await h.service.pruneNow()
        #expect(report.imagesRetired == 1 && report.filesDeleted == 1 && report.tasks == 0, "\(report)")
        let gone = try await h.client.execute(HTTPClientRequest(url: url, headers: ["Authorization": "Bearer \(Harness.callerToken)"]))
        #expect(gone.status == 410)
        #expect(JSONValue.parse(gone.body)?["error"]?["code"]?.stringValue == "image_removed")
        #expect(try await h.task(id)?["images"]?.arrayValue.first?["state"]?.stringValue == "removed")
        #expect(try await h.service.ledger().balanced)

        var policy = h.configuration.retention
        policy.finishedTasks = 2
        // A replaced policy (SIGHUP) starts a background pass at once.
        h.service.replaceRetention(policy)
        #expect(await h.eventually { (try? await h.get("/v1/tasks/" + id).status) == 404 })
        let task = try await h.get("/v1/tasks/" + id)
        #expect(task.status == 404)
        #expect(JSONValue.parse(task.body)?["error"]?["code"]?.stringValue == "task_not_found")
        let image = try await h.client.execute(HTTPClientRequest(url: url, headers: ["Authorization": "Bearer \(Harness.callerToken)"]))
        #expect(image.status == 404)
        #expect(JSONValue.parse(image.body)?["error"]?["code"]?.stringValue == "not_found")
        #expect(try await h.service.ledger().balanced)
        await h.stop()
    }
}
