/// The deletes of retention, each bounded by `limit` rows so one pruning write holds the
/// single writer for milliseconds, never for the whole backlog. Call them inside a write
/// wrapped by `whilePruning`, so the row counters move to their `pruned.*` twins.
public enum RetentionRepository {
    /// Marks the write as the pruner's (see `SchemaCounters`); the flag is cleared before
    /// the body's savepoint is released, so no other write can see it set.
    public static func whilePruning<T>(_ tx: Transaction, _ body: () throws -> T) throws -> T {
        try CounterRepository.set(SchemaCounters.pruneFlag, 1, in: tx)
        defer { try? CounterRepository.set(SchemaCounters.pruneFlag, 0, in: tx) }
        return try body()
    }

    /// Journal entries received before `cutoff`, oldest first.
    public static func pruneJournal(before cutoff: Double, limit: Int, in db: some SQLExecutor) throws(StoreError) -> Int {
        try db.execute("""
            DELETE FROM journal WHERE rowid IN
              (SELECT rowid FROM journal WHERE received_at < ? ORDER BY received_at LIMIT ?)
            """, [cutoff, limit])
    }

    /// A finished task eligible for pruning: terminal before `cutoff`, no image job in
    /// flight and no relay still to deliver.
    public struct PrunableTask: Sendable {
        public let id: String
        public let status: String
        public let results: String
    }

    public static func prunableTasks(before cutoff: Double, limit: Int,
                                     in db: some SQLExecutor) throws(StoreError) -> [PrunableTask] {
        try db.query("""
            SELECT id, status, results FROM tasks t
            WHERE status IN ('completed','failed','cancelled') AND updated_at < ?
              AND NOT EXISTS (SELECT 1 FROM download_jobs j WHERE j.task_id = t.id AND j.state IN ('queued','running'))
              AND NOT EXISTS (SELECT 1 FROM relay_deliveries r WHERE r.task_id = t.id AND r.state = 'pending')
            ORDER BY updated_at LIMIT ?
            """, [cutoff, limit]).map { PrunableTask(id: $0.string(0) ?? "", status: $0.string(1) ?? "", results: $0.string(2) ?? "") }
    }

    /// Deletes a task with its jobs, relay record and journal entries. Its stored files
    /// move to `image_files` (kept there under image retention); returns the rows deleted.
    @discardableResult
    public static func deleteTask(id: String, in db: some SQLExecutor) throws(StoreError) -> Int {
        try db.execute("""
            INSERT OR IGNORE INTO image_files(path, sha256, stored_at)
            SELECT path, sha256, updated_at FROM download_jobs WHERE task_id = ? AND state = 'stored' AND path IS NOT NULL
            """, [id])
        var rows = try db.execute("DELETE FROM download_jobs WHERE task_id = ?", [id])
        rows += try db.execute("DELETE FROM relay_deliveries WHERE task_id = ?", [id])
        rows += try db.execute("DELETE FROM journal WHERE task_id = ?", [id])
        rows += try db.execute("DELETE FROM tasks WHERE id = ?", [id])
        return rows
    }

    /// Delivered or given-up relay records last touched before `cutoff`.
    public static func pruneRelays(before cutoff: Double, limit: Int, in db: some SQLExecutor) throws(StoreError) -> Int {
        try db.execute("""
            DELETE FROM relay_deliveries WHERE rowid IN
              (SELECT rowid FROM relay_deliveries WHERE state != 'pending' AND updated_at < ? ORDER BY updated_at LIMIT ?)
            """, [cutoff, limit])
    }

    /// Idempotency records (submissions) created before `cutoff` that are settled and no
    /// longer back a task (a task keeps its submission: its callback token lives there).
    public static func pruneSubmissions(before cutoff: Double, limit: Int, in db: some SQLExecutor) throws(StoreError) -> Int {
        try db.execute("""
            DELETE FROM submissions WHERE id IN
              (SELECT id FROM submissions s WHERE created_at < ? AND state NOT IN ('submitting','ambiguous')
                 AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.submission_id = s.id)
               ORDER BY created_at LIMIT ?)
            """, [cutoff, limit])
    }

    /// Image retention, step 1: stored jobs older than `cutoff` become `removed`, their
    /// files listed in `image_files`. Nothing is deleted from disk in this write.
    public static func retireImages(before cutoff: Double, limit: Int, now: Double,
                                    in db: some SQLExecutor) throws(StoreError) -> Int {
        let rows = try db.query("""
            SELECT task_id, idx, path, sha256, updated_at FROM download_jobs WHERE state = 'stored' AND updated_at < ?
            ORDER BY updated_at LIMIT ?
            """, [cutoff, limit])
        for row in rows {
            if let path = row.string(2), let sha = row.string(3) {
                try db.execute("INSERT OR IGNORE INTO image_files(path, sha256, stored_at) VALUES(?,?,?)",
                               [path, sha, row.double(4) ?? cutoff])
            }
            try db.execute("""
                UPDATE download_jobs SET state = 'removed', reason = 'image retention elapsed', updated_at = ?
                WHERE task_id = ? AND idx = ?
                """, [now, row.string(0), row.int(1)])
        }
        return rows.count
    }

    /// A file no job row points at.
    public struct UnreferencedFile: Sendable, Hashable {
        public let path: String
        public let sha256: String
    }

    /// Image retention, step 2 (a later write): files listed before `cutoff`. Those a
    /// `stored` job now shares (same content downloaded again) are dropped from the list
    /// and kept on disk; the rest are returned for deletion and dropped from the list in
    /// the same write.
    public static func takeUnreferencedFiles(before cutoff: Double, limit: Int,
                                             in db: some SQLExecutor) throws(StoreError) -> [UnreferencedFile] {
        let listed = try db.query("SELECT path, sha256 FROM image_files WHERE stored_at < ? ORDER BY stored_at LIMIT ?",
                                  [cutoff, limit])
        var out: [UnreferencedFile] = []
        for row in listed {
            let file = UnreferencedFile(path: row.string(0) ?? "", sha256: row.string(1) ?? "")
            try db.execute("DELETE FROM image_files WHERE path = ?", [file.path])
            let shared = try db.scalar("SELECT 1 FROM download_jobs WHERE sha256 = ? AND state = 'stored' LIMIT 1",
                                       [file.sha256]).int != nil
            if !shared { out.append(file) }
        }
        return out
    }

    /// True when a file was removed by image retention (its content hash has a
    /// `removed` job and no `stored` one): the image answers 410, not 404.
    public static func wasRemoved(sha256: String, in db: some SQLExecutor) throws(StoreError) -> Bool {
        try db.scalar("SELECT 1 FROM download_jobs WHERE sha256 = ? AND state = 'removed' LIMIT 1", [sha256]).int != nil
    }

    /// Gives back up to `pages` free pages to the file system (auto_vacuum=INCREMENTAL).
    public static func incrementalVacuum(pages: Int, in db: some SQLExecutor) throws(StoreError) {
        try db.execute("PRAGMA incremental_vacuum(\(max(1, pages)))")
    }

    /// Free pages left in the file.
    public static func freePages(in db: some SQLExecutor) throws(StoreError) -> Int {
        try db.scalar("PRAGMA freelist_count").int ?? 0
    }
}
