import Foundation
import Testing
@testable import Store
import Support
import TestSupport

private let schema = [Migration(version: 1, sql: """
    CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, payload BLOB);
    """)]

private struct Refused: Error, Equatable { let name: String }


@Suite struct GroupCommitTests {
    @Test func concurrentWritersShareCommits() async throws {
        let dir = TemporaryDirectory()
        let db = try Database(path: dir.file("db.sqlite"), migrations: schema)
        let writers = 50
        try await withThrowingTaskGroup(of: Int64.self) { group in
            for i in 0..<writers {
                group.addTask {
                    try await db.write { txn in
                        try txn.execute("INSERT INTO item(name) VALUES (?)", ["w\(i)"])
                        return txn.lastInsertRowID
                    }
                }
            }
            var ids = Set<Int64>()
            for try await id in group { ids.insert(id) }
            #expect(ids.count == writers)
        }
        let stats = db.writerStatistics
        #expect(stats.committedWrites == writers)
        #expect(stats.commits < writers)
        #expect(stats.largestBatch > 1)
        #expect(stats.commitSeconds > 0)
        let count = try await db.read { try $0.scalar("SELECT count(*) FROM item").int }
        #expect(count == writers)
    }

    @Test func failingBodyRollsBackOnlyItsSavepoint() async throws {
        let dir = TemporaryDirectory()
        let db = try Database(path: dir.file("db.sqlite"), migrations: schema)
        let gate = WriterGate()
        let blocker = gate.holdWriter(of: db, inserting: "blocker")
        #expect(try await gate.waitUntilEntered())
        let first = Task { try await db.write { try $0.execute("INSERT INTO item(name) VALUES ('a')") } }
        #expect(try await eventually { db.pendingWrites == 1 })
        let failing = Task {
            try await db.write { txn in
                try txn.execute("INSERT INTO item(name) VALUES ('doomed')")
                throw Refused(name: "doomed")
            }
        }
        #expect(try await eventually { db.pendingWrites == 2 })
        let duplicate = Task { try await db.write { try $0.execute("INSERT INTO item(name) VALUES ('a')") } }
        #expect(try await eventually { db.pendingWrites == 3 })
        let last = Task { try await db.write { try $0.execute("INSERT INTO item(name) VALUES ('c')") } }
        #expect(try await eventually { db.pendingWrites == 4 })
        #expect(!gate.timedOut)   // the batch was lined up while the gate still held
        gate.open()

        try await blocker.value
        #expect(try await first.value == 1)
        #expect(try await last.value == 1)
        await #expect(throws: Refused(name: "doomed")) { try await failing.value }
        await #expect {
            try await duplicate.value
        } throws: { error in
            guard case StoreError.constraint = error else { return false }
            return true
        }
        let names = try await db.read { try $0.query("SELECT name FROM item ORDER BY id").compactMap { $0.string("name") } }
        #expect(names == ["blocker", "a", "c"])
        let stats = db.writerStatistics
        #expect(stats.commits == 2)
        #expect(stats.largestBatch == 4)
        #expect(stats.committedWrites == 3)
        #expect(stats.failedWrites == 2)
    }

    @Test func returnedWriteIsVisibleToAFreshConnection() async throws {
        let dir = TemporaryDirectory()
        let path = dir.file("db.sqlite")
        let db = try Database(path: path, migrations: schema)
        for i in 0..<20 {
            let id = try await db.write { txn in
                try txn.execute("INSERT INTO item(name, payload) VALUES (?, ?)", ["n\(i)", [UInt8(i), 0, 255]])
                return txn.lastInsertRowID
            }
            // A connection opened after the await, independent of the store's pool.
            let fresh = try Connection(path: path, readOnly: true, configuration: DatabaseConfiguration())
            let row = try fresh.queryOne("SELECT name, payload FROM item WHERE id = ?", [id])
            #expect(row?.string("name") == "n\(i)")
            #expect(row?.blob("payload") == [UInt8(i), 0, 255])
        }
    }

    @Test func readersRunBesideTheWriterOnTheirSnapshot() async throws {
        let dir = TemporaryDirectory()
        let db = try Database(path: dir.file("db.sqlite"), migrations: schema)
        try await db.write { try $0.execute("INSERT INTO item(name) VALUES ('one'), ('two')") }
        let (seenDuring, countDuring) = try await db.read { connection in
            let statement = try connection.prepare("SELECT name FROM item ORDER BY id")
            #expect(try statement.step())   // the read transaction (snapshot) starts here
            // The writer commits while this reader holds its snapshot open.
            try db.writeBlocking { try $0.execute("INSERT INTO item(name) VALUES ('three')") }
            var names = [statement.string(0)]
            while try statement.step() { names.append(statement.string(0)) }
            return (names, names.count)
        }
        #expect(seenDuring == ["one", "two"])
        #expect(countDuring == 2)
        let after = try await db.read { try $0.scalar("SELECT count(*) FROM item").int }
        #expect(after == 3)
    }

    @Test func closedDatabaseAnswersUnavailable() async throws {
        let dir = TemporaryDirectory()
        let path = dir.file("db.sqlite")
        let db = try Database(path: path, migrations: schema)
        let gate = WriterGate()
        let held = gate.holdWriter(of: db, inserting: "held")
        #expect(try await gate.waitUntilEntered())
        let queued = Task { try await db.write { try $0.execute("INSERT INTO item(name) VALUES ('queued')") } }
        #expect(try await eventually { db.pendingWrites == 1 })
        // close() blocks until queued writes are done, so call it on a thread of its
        // own: the global queues share the cooperative pool's width on Linux.
        let closed = Locked(false)
        let closer = Thread {
            db.close()
            closed.withLock { $0 = true }
        }
        closer.start()
        try await Task.sleep(nanoseconds: 20_000_000)
        #expect(!gate.timedOut)
        #expect(!closed.withLock { $0 })   // still waiting for the held batch
        gate.open()
        _ = try await held.value
        #expect(try await queued.value == 1)
        #expect(try await eventually { closed.withLock { $0 } })

        await #expect(throws: StoreError.unavailable("database is closed")) {
            try await db.write { try $0.execute("INSERT INTO item(name) VALUES ('x')") }
        }
        await #expect(throws: StoreError.unavailable("database is closed")) {
            try await db.read { try $0.scalar("SELECT 1") }
        }
        // Every connection is closed: the last one checkpointed and removed the WAL.
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        let reopened = try Database(path: path, migrations: schema)
        let names = try await reopened.read { try $0.query("SELECT name FROM item ORDER BY id").compactMap { $0.string(0) } }
        #expect(names == ["held", "queued"])
    }
}

/// A slow disk pushes back: beyond `maxPendingWrites` waiting writes, `write` fails at
/// once with `.unavailable` (the API's 503 + Retry-After) instead of queueing forever.
@Suite struct WriterBackpressureTests {
    @Test func aFullWriteQueueIsRefusedAtOnceAndTheQueuedOnesStillCommit() async throws {
        let dir = TemporaryDirectory()
        let db = try Database(path: dir.file("db.sqlite"), migrations: schema,
                              configuration: DatabaseConfiguration(maxPendingWrites: 3))
        let gate = WriterGate()
        let blocker = gate.holdWriter(of: db, inserting: "blocker")
        #expect(try await gate.waitUntilEntered())
        var queued: [Task<Int, any Error>] = []
        for i in 0..<3 {
            queued.append(Task { try await db.write { try $0.execute("INSERT INTO item(name) VALUES ('q\(i)')") } })
            #expect(try await eventually { db.pendingWrites == i + 1 })
        }
        await #expect {
            try await db.write { try $0.execute("INSERT INTO item(name) VALUES ('refused')") }
        } throws: { error in
            guard case StoreError.unavailable(let why) = error else { return false }
            return why.contains("full")
        }
        #expect(!gate.timedOut)
        gate.open()
        try await blocker.value
        for t in queued { #expect(try await t.value == 1) }
        // Room again once the queue drained.
        #expect(try await db.write { try $0.execute("INSERT INTO item(name) VALUES ('after')") } == 1)
        let names = try await db.read { try $0.query("SELECT name FROM item ORDER BY id").compactMap { $0.string("name") } }
        #expect(names == ["blocker", "q0", "q1", "q2", "after"])
    }
}
