/// Reads and writes `submissions`.
public enum SubmissionRepository {
    public static func find(caller: String, key: String, in db: some SQLExecutor) throws(StoreError) -> SubmissionRecord? {
        try db.query("SELECT * FROM submissions WHERE caller = ? AND idem_key = ?", [caller, key]).first.map(SubmissionRecord.init(row:))
    }

    /// Looks a callback token up by its SHA-256: the index lookup never compares the
    /// secret itself, so its timing reveals nothing about the token.
    public static func find(tokenHash: [UInt8], in db: some SQLExecutor) throws(StoreError) -> SubmissionRecord? {
        try db.query("SELECT * FROM submissions WHERE token_hash = ?", [tokenHash]).first.map(SubmissionRecord.init(row:))
    }

    public static func find(id: Int64, in db: some SQLExecutor) throws(StoreError) -> SubmissionRecord? {
        try db.query("SELECT * FROM submissions WHERE id = ?", [id]).first.map(SubmissionRecord.init(row:))
    }

    /// Inserts and returns the new row id.
    public static func insert(_ r: SubmissionRecord, in db: some SQLExecutor) throws(StoreError) -> Int64 {
        let rows = try db.query("""
            INSERT INTO submissions(caller, idem_key, fingerprint, token_hash, token_nonce, relay_url, request, state,
              answer_status, answer, task_id, attempts, created_at, updated_at)
            VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id
            """, [r.caller, r.idempotencyKey, r.fingerprint, r.tokenHash, r.tokenNonce, r.relayURL, r.request, r.state,
                  r.answerStatus, r.answer, r.taskID, r.attempts, r.createdAt, r.updatedAt])
        return rows.first?.int64(0) ?? 0
    }

    public static func update(_ r: SubmissionRecord, in db: some SQLExecutor) throws(StoreError) {
        try db.execute("""
            UPDATE submissions SET state = ?, answer_status = ?, answer = ?, task_id = ?, attempts = ?, updated_at = ?
            WHERE id = ?
            """, [r.state, r.answerStatus, r.answer, r.taskID, r.attempts, r.updatedAt, r.id])
    }

    /// Submissions whose provider call never got a definite answer.
    public static func unresolved(in db: some SQLExecutor) throws(StoreError) -> [SubmissionRecord] {
        try db.query("SELECT * FROM submissions WHERE state IN ('submitting','ambiguous') ORDER BY id").map(SubmissionRecord.init(row:))
    }

    /// At start-up nothing is in flight: a `submitting` row is one whose process died
    /// mid-call, so it may or may not have reached the provider.
    public static func markInterruptedAsAmbiguous(now: Double, in db: some SQLExecutor) throws(StoreError) {
        try db.execute("UPDATE submissions SET state = 'ambiguous', updated_at = ? WHERE state = 'submitting'", [now])
    }
}
