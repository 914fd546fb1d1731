import Foundation
import Store
import Testing
@testable import ImageHook
import Support

@Suite struct RepositoryTests {
    func open() throws -> (Database, TempDir) {
        let dir = TempDir()
        return (try Database(path: dir.path + "/t.sqlite", migrations: SchemaService.migrations), dir)
    }

    func submission(_ key: String) -> SubmissionRecord {
        SubmissionRecord(caller: "c", idempotencyKey: key, fingerprint: "f", tokenHash: SHA256.digest(Array(key.utf8)),
                         tokenNonce: [1], relayURL: nil, request: [], state: "submitting", createdAt: 1, updatedAt: 1)
    }

    @Test func idempotencyKeyIsUniquePerCallerAndTokenLookupIsByHash() async throws {
        let (db, dir) = try open()
        defer { db.close(); dir.remove() }
        let s = submission("k")
        _ = try await db.write { try SubmissionRepository.insert(s, in: $0) }
        await #expect(throws: StoreError.self) {
            _ = try await db.write { try SubmissionRepository.insert(s, in: $0) }
        }
        let found = try await db.read { try SubmissionRepository.find(tokenHash: SHA256.digest(Array("k".utf8)), in: $0) }
        #expect(found?.idempotencyKey == "k")
        #expect(try await db.read { try SubmissionRepository.find(tokenHash: [0], in: $0) } == nil)
        // An interrupted submit becomes ambiguous at start-up, never silently resent fresh.
        try await db.write { try SubmissionRepository.markInterruptedAsAmbiguous(now: 5, in: $0) }
        #expect(try await db.read { try SubmissionRepository.unresolved(in: $0) }.map(\.state) == ["ambiguous"])
    }

    @Test func jobsAreQueuedOnceClaimedOnceAndRequeuedAfterACrash() async throws {
        let (db, dir) = try open()
        defer { db.close(); dir.remove() }
        let jobs = (0..<3).map { DownloadJobRecord(taskID: "t", index: $0, url: "u\($0)", nextAttemptAt: 10, updatedAt: 10) }
        try await db.write { try DownloadJobRepository.insert(jobs, in: $0) }
        try await db.write { try DownloadJobRepository.insert(jobs, in: $0) }  // replayed apply: no duplicates
        #expect(try await db.read { try DownloadJobRepository.counts(in: $0) } == ["queued": 3])
        #expect(try await db.write { try DownloadJobRepository.claimDue(now: 5, lease: 100, limit: 10, in: $0) }.isEmpty)
        let first = try await db.write { try DownloadJobRepository.claimDue(now: 10, lease: 100, limit: 2, in: $0) }
        #expect(first.count == 2)
        #expect(first.allSatisfy { $0.state == .running })
        let second = try await db.write { try DownloadJobRepository.claimDue(now: 10, lease: 100, limit: 2, in: $0) }
        #expect(second.count == 1)
        #expect(Set((first + second).map(\.index)) == [0, 1, 2])
        // Running jobs are not claimed again while their lease holds...
        #expect(try await db.write { try DownloadJobRepository.claimDue(now: 109, lease: 100, limit: 10, in: $0) }.isEmpty)
        // ...and are once it has lapsed (a cancelled worker, a failed state write).
        let lapsed = try await db.write { try DownloadJobRepository.claimDue(now: 110, lease: 100, limit: 10, in: $0) }
        #expect(lapsed.count == 3 && lapsed.allSatisfy { $0.state == .running && $0.updatedAt == 110 })
        #expect(try await db.write { try DownloadJobRepository.claimDue(now: 150, lease: 100, limit: 10, in: $0) }.isEmpty)
        try await db.write { try DownloadJobRepository.requeueRunning(now: 20, in: $0) }
        #expect(try await db.read { try DownloadJobRepository.counts(in: $0) } == ["queued": 3])
    }

    @Test func journalCountsByOutcome() async throws {
        let (db, dir) = try open()
        defer { db.close(); dir.remove() }
        try await db.write { tx in
            for outcome in ["applied", "duplicate", "duplicate", "stale"] {
                try JournalRepository.append(taskID: "t", source: "callback", outcome: outcome, body: [1, 2], at: 1, in: tx)
            }
            try JournalRepository.append(taskID: "t", source: "poll", outcome: "applied", body: [3], at: 2, in: tx)
        }
        #expect(try await db.read { try JournalRepository.counts(source: "callback", in: $0) }
                == ["applied": 1, "duplicate": 2, "stale": 1])
        #expect(try await db.read { try JournalRepository.entries(taskID: "t", in: $0) }.last?.body == [3])
    }

    @Test func relayClaimLeasesTheDelivery() async throws {
        let (db, dir) = try open()
        defer { db.close(); dir.remove() }
        try await db.write {
            try RelayDeliveryRepository.insertIfAbsent(RelayDeliveryRecord(taskID: "t", url: "http://x", webhookID: "msg_t",
                                                                           nextAttemptAt: 1, updatedAt: 1), in: $0)
        }
        let claimed = try await db.write { try RelayDeliveryRepository.claimDue(now: 2, lease: 100, limit: 5, in: $0) }
        #expect(claimed.count == 1)
        // Leased: not due again until the lease ends (a crash mid-POST retries after it).
        #expect(try await db.write { try RelayDeliveryRepository.claimDue(now: 50, lease: 100, limit: 5, in: $0) }.isEmpty)
        #expect(try await db.write { try RelayDeliveryRepository.claimDue(now: 103, lease: 100, limit: 5, in: $0) }.count == 1)
    }
}
