/// Reads and writes `download_jobs`.
public enum DownloadJobRepository {
    /// Adds jobs; an existing (task, index) is left alone, so a replayed apply cannot
    /// queue an image twice.
    public static func insert(_ jobs: [DownloadJobRecord], in db: some SQLExecutor) throws(StoreError) {
        for j in jobs {
            try db.execute("""
                INSERT OR IGNORE INTO download_jobs(task_id, idx, url, state, attempts, next_attempt_at, updated_at)
                VALUES(?,?,?,?,?,?,?)
                """, [j.taskID, j.index, j.url, j.state.rawValue, j.attempts, j.nextAttemptAt, j.updatedAt])
        }
    }

    /// Moves up to `limit` due queued jobs to `running` and returns them.
    /// Claims due queued jobs, and running jobs whose lease (`updated_at + lease`) has
    /// lapsed: a worker that was cancelled, or whose state write failed, left its job
    /// `running`, and it must not wait for a restart. Claiming renews the lease.
    public static func claimDue(now: Double, lease: Double, limit: Int,
                                in db: some SQLExecutor) throws(StoreError) -> [DownloadJobRecord] {
        try db.query("""
            UPDATE download_jobs SET state = 'running', updated_at = ?1
            WHERE rowid IN (SELECT rowid FROM download_jobs
                            WHERE (state = 'queued' AND next_attempt_at <= ?1) OR (state = 'running' AND updated_at <= ?3)
                            ORDER BY next_attempt_at LIMIT ?2)
            RETURNING *
            """, [now, limit, now - lease]).map(DownloadJobRecord.init(row:))
    }

    public static func update(_ j: DownloadJobRecord, in db: some SQLExecutor) throws(StoreError) {
        try db.execute("""
            UPDATE download_jobs SET state = ?, attempts = ?, next_attempt_at = ?, reason = ?, sha256 = ?, ext = ?,
              bytes = ?, path = ?, updated_at = ? WHERE task_id = ? AND idx = ?
            """, [j.state.rawValue, j.attempts, j.nextAttemptAt, j.reason, j.sha256, j.ext, j.bytes, j.path,
                  j.updatedAt, j.taskID, j.index])
    }

    /// At start-up no job runs: `running` ones were interrupted by a crash; they go back
    /// to the queue (the temp file of the interrupted attempt is never committed).
    public static func requeueRunning(now: Double, in db: some SQLExecutor) throws(StoreError) {
        try db.execute("UPDATE download_jobs SET state = 'queued', next_attempt_at = ?, updated_at = ? WHERE state = 'running'",
                   [now, now])
    }

    public static func jobs(taskID: String, in db: some SQLExecutor) throws(StoreError) -> [DownloadJobRecord] {
        try db.query("SELECT * FROM download_jobs WHERE task_id = ? ORDER BY idx", [taskID]).map(DownloadJobRecord.init(row:))
    }

    public static func nextDueAt(in db: some SQLExecutor) throws(StoreError) -> Double? {
        try db.query("SELECT MIN(next_attempt_at) FROM download_jobs WHERE state = 'queued'").first?.double(0)
    }

    public static func counts(in db: some SQLExecutor) throws(StoreError) -> [String: Int] {
        try db.counts("SELECT state, COUNT(*) FROM download_jobs GROUP BY state")
    }

    /// A stored job with this content hash, if any (identical content is stored once).
    public static func stored(sha256: String, in db: some SQLExecutor) throws(StoreError) -> DownloadJobRecord? {
        try db.query("SELECT * FROM download_jobs WHERE sha256 = ? AND state = 'stored' LIMIT 1", [sha256])
            .first.map(DownloadJobRecord.init(row:))
    }
}
