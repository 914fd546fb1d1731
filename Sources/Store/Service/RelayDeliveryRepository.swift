/// Reads and writes `relay_deliveries`.
public enum RelayDeliveryRepository {
    /// True when the row was created (false: it was there already).
    @discardableResult
    public static func insertIfAbsent(_ r: RelayDeliveryRecord, in db: some SQLExecutor) throws(StoreError) -> Bool {
        try db.execute("""
            INSERT OR IGNORE INTO relay_deliveries(task_id, url, webhook_id, state, attempts, next_attempt_at, updated_at)
            VALUES(?,?,?,?,?,?,?)
            """, [r.taskID, r.url, r.webhookID, r.state.rawValue, r.attempts, r.nextAttemptAt, r.updatedAt]) == 1
    }

    public static func find(taskID: String, in db: some SQLExecutor) throws(StoreError) -> RelayDeliveryRecord? {
        try db.query("SELECT * FROM relay_deliveries WHERE task_id = ?", [taskID]).first.map(RelayDeliveryRecord.init(row:))
    }

    /// Due pending deliveries; each claimed one is pushed `lease` seconds ahead so a
    /// crash mid-POST retries it after the lease instead of never.
    public static func claimDue(now: Double, lease: Double, limit: Int, in db: some SQLExecutor) throws(StoreError) -> [RelayDeliveryRecord] {
        try db.query("""
            UPDATE relay_deliveries SET next_attempt_at = ?1 + ?2, updated_at = ?1
            WHERE rowid IN (SELECT rowid FROM relay_deliveries WHERE state = 'pending' AND next_attempt_at <= ?1
                            ORDER BY next_attempt_at LIMIT ?3)
            RETURNING *
            """, [now, lease, limit]).map(RelayDeliveryRecord.init(row:))
    }

    public static func update(_ r: RelayDeliveryRecord, in db: some SQLExecutor) throws(StoreError) {
        try db.execute("""
            UPDATE relay_deliveries SET state = ?, attempts = ?, next_attempt_at = ?, first_attempt_at = ?,
              last_status = ?, last_error = ?, updated_at = ? WHERE task_id = ?
            """, [r.state.rawValue, r.attempts, r.nextAttemptAt, r.firstAttemptAt, r.lastStatus, r.lastError,
                  r.updatedAt, r.taskID])
    }

    public static func nextDueAt(in db: some SQLExecutor) throws(StoreError) -> Double? {
        try db.query("SELECT MIN(next_attempt_at) FROM relay_deliveries WHERE state = 'pending'").first?.double(0)
    }

    public static func counts(in db: some SQLExecutor) throws(StoreError) -> [String: Int] {
        try db.counts("SELECT state, COUNT(*) FROM relay_deliveries GROUP BY state")
    }
}
