import Testing
@testable import Store
import TestSupport

@Suite struct FullDiskTests {
    /// `PRAGMA max_page_count` makes SQLite answer SQLITE_FULL exactly as a full disk
    /// would; the store must report `.unavailable`, keep serving reads, and accept
    /// writes again once there is room.
    @Test func fullDatabaseIsUnavailableAndRecovers() async throws {
        let dir = TemporaryDirectory()
        let db = try Database(path: dir.file("db.sqlite"), migrations: [
            Migration(version: 1, sql: "CREATE TABLE blob(id INTEGER PRIMARY KEY, data BLOB NOT NULL);"),
        ])
        try await db.write { try $0.execute("INSERT INTO blob(data) VALUES (?)", [[UInt8](repeating: 1, count: 100)]) }
        let pages = try await db.write { txn in
            let used = try txn.scalar("PRAGMA page_count").int ?? 0
            try txn.execute("PRAGMA max_page_count = \(used + 4)")
            return used
        }
        #expect(pages > 0)

        var fullError: StoreError?
        for _ in 0..<64 where fullError == nil {
            do {
                try await db.write { try $0.execute("INSERT INTO blob(data) VALUES (?)", [[UInt8](repeating: 7, count: 3_000)]) }
            } catch let error as StoreError {
                fullError = error
            }
        }
        let error = try #require(fullError)
        #expect(error.isUnavailable, "got \(error)")
        #expect(error.description.contains("full"))

        // Still full: a second attempt fails the same way instead of crashing or hanging.
        await #expect {
            try await db.write { try $0.execute("INSERT INTO blob(data) VALUES (?)", [[UInt8](repeating: 9, count: 50_000)]) }
        } throws: { error in
            (error as? StoreError)?.isUnavailable == true
        }

        let before = try await db.read { try $0.scalar("SELECT count(*) FROM blob").int ?? -1 }
        #expect(before >= 1)

        try await db.write { try $0.execute("PRAGMA max_page_count = 1000000") }
        let id = try await db.write { txn in
            try txn.execute("INSERT INTO blob(data) VALUES (?)", [[UInt8](repeating: 8, count: 50_000)])
            return txn.lastInsertRowID
        }
        let stored = try await db.read { try $0.queryOne("SELECT length(data) FROM blob WHERE id = ?", [id])?.int(0) }
        #expect(stored == 50_000)
        let after = try await db.read { try $0.scalar("SELECT count(*) FROM blob").int ?? -1 }
        #expect(after == before + 1)
    }

    /// In one batch, a write that hits SQLITE_FULL fails alone even though SQLite rolls
    /// the whole transaction back: the small writes around it are run again and
    /// committed. Every caller told "done" finds its row; every one told "failed" not.
    @Test func fullDiskInsideABatchNeverReportsLostWritesAsDone() async throws {
        let dir = TemporaryDirectory()
        let db = try Database(path: dir.file("db.sqlite"), migrations: [
            Migration(version: 1, sql: "CREATE TABLE blob(id INTEGER PRIMARY KEY, tag TEXT, data BLOB NOT NULL);"),
        ])
        try await db.write { txn in
            let used = try txn.scalar("PRAGMA page_count").int ?? 0
            try txn.execute("PRAGMA max_page_count = \(used + 6)")
        }
        let gate = WriterGate()
        let held = Task { try await db.write { _ in gate.hold() } }
        #expect(try await gate.waitUntilEntered())
        var tasks: [(tag: String, task: Task<Void, any Error>)] = []
        for (index, size) in [100, 200_000, 100, 150, 300_000, 100].enumerated() {
            let tag = "w\(index)"
            let task = Task<Void, any Error> {
                try await db.write { txn -> Void in
                    try txn.execute("INSERT INTO blob(tag, data) VALUES (?, ?)", [tag, [UInt8](repeating: 1, count: size)])
                }
            }
            tasks.append((tag: tag, task: task))
            #expect(try await eventually { db.pendingWrites == index + 1 })
        }
        #expect(!gate.timedOut)   // the batch was lined up while the gate still held
        gate.open()
        try await held.value
        var succeeded: Set<String> = []
        for (tag, task) in tasks {
            do {
                try await task.value
                succeeded.insert(tag)
            } catch let error as StoreError {
                #expect(error.isUnavailable, "\(tag): \(error)")
            }
        }
        #expect(!succeeded.contains("w1") && !succeeded.contains("w4"))
        let stored = try await db.read { Set(try $0.query("SELECT tag FROM blob").compactMap { $0.string(0) }) }
        #expect(stored == succeeded)
        #expect(succeeded == ["w0", "w2", "w3", "w5"])
    }
}
