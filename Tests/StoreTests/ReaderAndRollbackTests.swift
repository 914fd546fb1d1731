import Testing
@testable import Store
import TestSupport

private let schema = [Migration(version: 1, sql: "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT NOT NULL);")]

/// Callers are often actors; `read` runs its body on the caller's executor.
private actor Counter {
    let db: Database
    var reads = 0
    init(db: Database) { self.db = db }

    func countItems() async throws -> Int {
        reads += 1
        return try await db.read { connection in
            try connection.scalar("SELECT count(*) FROM item").int ?? -1
        }
    }
}

@Suite struct ReaderAndRollbackTests {
    @Test func moreReadersThanConnectionsWaitTheirTurn() async throws {
        let dir = TemporaryDirectory()
        let db = try Database(path: dir.file("db.sqlite"), migrations: schema,
                              configuration: DatabaseConfiguration(readerCount: 2))
        try await db.write { try $0.execute("INSERT INTO item(name) VALUES ('a'), ('b'), ('c')") }
        let counter = Counter(db: db)
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<40 {
                group.addTask { try await counter.countItems() }
                group.addTask {
                    try await db.read { connection in
                        try connection.query("SELECT name FROM item ORDER BY id").count
                    }
                }
            }
            var sum = 0
            for try await n in group { sum += n }
            return sum
        }
        #expect(total == 80 * 3)
        #expect(await counter.reads == 40)
    }

    /// When SQLite ends the whole transaction under the batch (as it does after
    /// SQLITE_FULL; here forced with a stray ROLLBACK), the body that caused it fails and
    /// the innocent ones, before and after it, are run again and committed.
    @Test func batchRolledBackBySQLiteRerunsTheInnocentBodies() async throws {
        let dir = TemporaryDirectory()
        let db = try Database(path: dir.file("db.sqlite"), migrations: schema)
        let gate = WriterGate()
        let blocker = gate.holdWriter(of: db, inserting: "blocker")
        #expect(try await gate.waitUntilEntered())
        let early = Task { try await db.write { try $0.execute("INSERT INTO item(name) VALUES ('early')") } }
        #expect(try await eventually { db.pendingWrites == 1 })
        let saboteur = Task { try await db.write { try $0.connection.executeScript("ROLLBACK") } }
        #expect(try await eventually { db.pendingWrites == 2 })
        let late = Task { try await db.write { try $0.execute("INSERT INTO item(name) VALUES ('late')") } }
        #expect(try await eventually { db.pendingWrites == 3 })
        #expect(db.pendingWrites == 3)
        #expect(!gate.timedOut)   // the batch was lined up while the gate still held
        gate.open()

        _ = try await blocker.value
        #expect(try await early.value == 1)
        await #expect(throws: StoreError.self) { try await saboteur.value }
        #expect(try await late.value == 1)
        let names = try await db.read { try $0.query("SELECT name FROM item ORDER BY id").compactMap { $0.string(0) } }
        #expect(names == ["blocker", "early", "late"])
        let stats = db.writerStatistics
        #expect(stats.failedBatches == 1)
        #expect(stats.commits == 2)
    }
}
