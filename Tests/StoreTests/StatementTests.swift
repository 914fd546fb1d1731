import Testing
@testable import Store
import TestSupport

@Suite struct StatementTests {
    private func open(_ dir: TemporaryDirectory) throws -> Database {
        try Database(path: dir.file("db.sqlite"), migrations: [Migration(version: 1, sql: """
            CREATE TABLE v(id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, k TEXT UNIQUE);
            CREATE TABLE child(id INTEGER PRIMARY KEY, parent INTEGER NOT NULL REFERENCES v(id));
            """)])
    }

    @Test func valuesRoundTripByIndexAndName() async throws {
        let dir = TemporaryDirectory()
        let db = try open(dir)
        let text = "naïve\u{0}tail 🎨"
        let id = try await db.write { txn in
            try txn.execute("INSERT INTO v(i, r, t, b) VALUES (?, ?, ?, ?)", [Int64.max, 2.5, text, [UInt8]([0, 1, 255])])
            try txn.execute("INSERT INTO v(i, r, t, b) VALUES (:i, :r, :t, :b)",
                            named: [":i": -1, ":r": SQLValue.null, ":t": "", ":b": [UInt8]()])
            #expect(txn.changes == 1)
            return txn.lastInsertRowID
        }
        #expect(id == 2)
        let rows = try await db.read { try $0.query("SELECT i, r, t, b FROM v ORDER BY id") }
        #expect(rows.count == 2)
        #expect(rows[0].int64("i") == Int64.max)
        #expect(rows[0].double(1) == 2.5)
        #expect(rows[0].string("T") == text)
        #expect(rows[0].blob("b") == [0, 1, 255])
        #expect(rows[1].int(0) == -1)
        #expect(rows[1]["r"] == .null)
        #expect(rows[1].string("t") == "")     // empty text, not NULL
        #expect(rows[1]["t"] == .text(""))
        #expect(rows[1]["b"] == .blob([]))
        #expect(rows[1]["missing"] == .null)
    }

    @Test func errorsAreTyped() async throws {
        let dir = TemporaryDirectory()
        let db = try open(dir)
        try await db.write { try $0.execute("INSERT INTO v(k) VALUES ('x')") }
        await #expect {
            try await db.write { try $0.execute("INSERT INTO v(k) VALUES ('x')") }
        } throws: { error in
            guard case StoreError.constraint(let reason) = error else { return false }
            return reason.contains("UNIQUE")
        }
        // foreign_keys=ON is in force on the writer.
        await #expect {
            try await db.write { try $0.execute("INSERT INTO child(parent) VALUES (999)") }
        } throws: { error in
            guard case StoreError.constraint(let reason) = error else { return false }
            return reason.contains("FOREIGN KEY")
        }
        await #expect {
            try await db.read { try $0.query("SELEKT 1") }
        } throws: { error in
            guard case StoreError.misuse = error else { return false }
            return true
        }
        await #expect {
            try await db.read { try $0.query("SELECT ?", [1, 2]) }
        } throws: { error in
            guard case StoreError.misuse(let reason) = error else { return false }
            return reason.contains("2 arguments for 1 parameters")
        }
        // Readers are read-only connections.
        await #expect {
            try await db.read { try $0.execute("INSERT INTO v(k) VALUES ('y')") }
        } throws: { error in
            (error as? StoreError)?.isUnavailable == true
        }
    }

    @Test func statementCacheEvictionKeepsHeldStatementsValid() async throws {
        let dir = TemporaryDirectory()
        let db = try Database(path: dir.file("db.sqlite"),
                              configuration: DatabaseConfiguration(readerCount: 1, statementCacheCapacity: 2))
        let result = try await db.read { connection in
            let held = try connection.prepare("SELECT 41 + ?")
            for n in 0..<10 { _ = try connection.query("SELECT \(n)") }   // evicts `held` from the cache
            try held.bind(1, at: 1)
            #expect(try held.step())
            return held.int(0)
        }
        #expect(result == 42)
    }

    @Test func nestedUseOfTheSameSQLDoesNotRestartTheOuterLoop() async throws {
        let dir = TemporaryDirectory()
        let db = try open(dir)
        try await db.write { try $0.execute("INSERT INTO v(i) VALUES (1), (2), (3)") }
        let pairs = try await db.read { connection in
            let sql = "SELECT i FROM v WHERE i >= ? ORDER BY i"
            let outer = try connection.prepare(sql)
            try outer.bind(1, at: 1)
            var seen: [[Int]] = []
            while try outer.step() {
                let i = outer.int(0) ?? -1
                // Same SQL while the outer statement is mid-iteration.
                let inner = try connection.query(sql, [i]).compactMap { $0.int(0) }
                seen.append([i] + inner)
            }
            return seen
        }
        #expect(pairs == [[1, 1, 2, 3], [2, 2, 3], [3, 3]])
    }
}
