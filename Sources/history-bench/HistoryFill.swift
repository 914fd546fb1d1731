import Store

/// Bulk history written straight into the service's schema with SQL (recursive CTEs),
/// in transactions of `chunk` tasks; the schema's triggers keep the row counters, and
/// the decision-side counters are added to match, so the ledger is balanced.
enum HistoryFill {
    /// `tasks` completed tasks, each with its submission, two stored image jobs and two
    /// journal entries (submit answer and callback), finished `age` seconds before `now`.
    static func completedTasks(_ tasks: Int, now: Double, age: Double, chunk: Int = 50_000,
                               in database: Database) async throws {
        var start = 1
        let at = now - age
        while start <= tasks {
            let end = min(tasks, start + chunk - 1)
            try await database.write { [start, end] tx in
                let range = "WITH RECURSIVE c(i) AS (SELECT \(start) UNION ALL SELECT i + 1 FROM c WHERE i < \(end))"
                try tx.execute("""
                    \(range) INSERT INTO submissions(id, caller, idem_key, fingerprint, token_hash, token_nonce, request,
                      state, task_id, created_at, updated_at)
                    SELECT i, 'bench', 'k' || i, 'f', randomblob(32), randomblob(16), x'7b7d', 'submitted',
                      'task-unified-1-h' || i, ?1, ?1 FROM c
                    """, [at])
                try tx.execute("""
                    \(range) INSERT INTO tasks(id, submission_id, caller, status, progress, results, created, submitted_at, updated_at)
                    SELECT 'task-unified-1-h' || i, i, 'bench', 'completed', 100,
                      'https://x.example/' || i || '/0.png' || char(10) || 'https://x.example/' || i || '/1.png', 1, ?1, ?1 FROM c
                    """, [at])
                try tx.execute("""
                    \(range), k(idx) AS (VALUES(0), (1))
                    INSERT INTO download_jobs(task_id, idx, url, state, attempts, next_attempt_at, sha256, ext, bytes, path, updated_at)
                    SELECT 'task-unified-1-h' || i, idx, 'https://x.example/' || i || '/' || idx || '.png', 'stored', 1, ?1,
                      lower(hex(randomblob(32))), 'png', 1000, '/nonexistent/' || i || '-' || idx || '.png', ?1 FROM c, k
                    """, [at])
                try tx.execute("""
                    \(range), s(source) AS (VALUES('submit'), ('callback'))
                    INSERT INTO journal(task_id, source, outcome, body, received_at)
                    SELECT 'task-unified-1-h' || i, source, 'applied', randomblob(300), ?1 FROM c, s
                    """, [at])
                let n = end - start + 1
                try CounterRepository.add(LedgerCounter.callbacksAnswered2xx, n, in: tx)
                try CounterRepository.add(LedgerCounter.imagesPromised, 2 * n, in: tx)
            }
            start = end + 1
        }
    }

    /// `rows` journal entries (poll results, 300-byte bodies) received `age` seconds ago.
    static func journal(_ rows: Int, now: Double, age: Double, chunk: Int = 100_000, in database: Database) async throws {
        var start = 1
        while start <= rows {
            let end = min(rows, start + chunk - 1)
            try await database.write { [start, end] tx in
                try tx.execute("""
                    WITH RECURSIVE c(i) AS (SELECT \(start) UNION ALL SELECT i + 1 FROM c WHERE i < \(end))
                    INSERT INTO journal(task_id, source, outcome, body, received_at)
                    SELECT 'task-unified-1-old' || i, 'poll', 'duplicate', randomblob(300), ?1 FROM c
                    """, [now - age])
            }
            start = end + 1
        }
    }

    /// Database file size in bytes (pages in use times page size).
    static func databaseBytes(_ database: Database) async throws -> Int {
        try await database.read { db in
            (try db.scalar("PRAGMA page_count").int ?? 0) * (try db.scalar("PRAGMA page_size").int ?? 0)
        }
    }
}
