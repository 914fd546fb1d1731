/// Reads and writes `tasks`.
public enum TaskRepository {
    public static func find(id: String, in db: some SQLExecutor) throws(StoreError) -> TaskRecord? {
        try db.query("SELECT * FROM tasks WHERE id = ?", [id]).first.map(TaskRecord.init(row:))
    }

    /// Inserts, or replaces every mutable field of an existing row.
    public static func save(_ t: TaskRecord, in db: some SQLExecutor) throws(StoreError) {
        try db.execute("""
            INSERT INTO tasks(id, submission_id, caller, status, progress, results, error_code, error_message,
              created, estimated_time, size, last_body, next_poll_at, polls, submitted_at, updated_at)
            VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT(id) DO UPDATE SET status = excluded.status, progress = excluded.progress,
              results = excluded.results, error_code = excluded.error_code, error_message = excluded.error_message,
              created = excluded.created, estimated_time = excluded.estimated_time, last_body = excluded.last_body,
              next_poll_at = excluded.next_poll_at, polls = excluded.polls, updated_at = excluded.updated_at
            """, [t.id, t.submissionID, t.caller, t.status, t.progress, t.results, t.errorCode, t.errorMessage,
                  t.created, t.estimatedTime, t.size, t.lastBody, t.nextPollAt, t.polls, t.submittedAt, t.updatedAt])
    }

    /// Unfinished tasks whose poll is due.
    public static func duePolls(now: Double, limit: Int, in db: some SQLExecutor) throws(StoreError) -> [TaskRecord] {
        try db.query("SELECT * FROM tasks WHERE next_poll_at IS NOT NULL AND next_poll_at <= ? ORDER BY next_poll_at LIMIT ?",
                    [now, limit]).map(TaskRecord.init(row:))
    }

    public static func nextPollAt(in db: some SQLExecutor) throws(StoreError) -> Double? {
        try db.query("SELECT MIN(next_poll_at) FROM tasks WHERE next_poll_at IS NOT NULL").first?.double(0)
    }

    /// At start-up every unfinished task is polled at once (callbacks may have been lost
    /// while the process was down).
    public static func scheduleUnfinishedPolls(at: Double, in db: some SQLExecutor) throws(StoreError) {
        try db.execute("UPDATE tasks SET next_poll_at = ? WHERE status IN ('pending','processing')", [at])
    }

    /// A page of tasks ordered by id, after `cursor` (exclusive), filtered.
    public static func list(status: String?, caller: String?, after cursor: String?, limit: Int,
                            in db: some SQLExecutor) throws(StoreError) -> [TaskRecord] {
        try db.query("""
            SELECT * FROM tasks WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR caller = ?2)
              AND (?3 IS NULL OR id > ?3) ORDER BY id LIMIT ?4
            """, [status, caller, cursor, limit]).map(TaskRecord.init(row:))
    }

    /// A caller's work not yet terminal: unfinished tasks plus submissions the provider
    /// has not answered yet. Uses the status index, so it costs the in-flight count.
    public static func inFlight(caller: String, in db: some SQLExecutor) throws(StoreError) -> Int {
        let tasks = try db.scalar("SELECT COUNT(*) FROM tasks WHERE status IN ('pending','processing') AND caller = ?",
                                  [caller]).int ?? 0
        let unanswered = try db.scalar("""
            SELECT COUNT(*) FROM submissions WHERE state IN ('submitting','ambiguous') AND caller = ?
            """, [caller]).int ?? 0
        return tasks + unanswered
    }
}
