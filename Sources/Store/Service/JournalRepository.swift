/// Appends to and counts `journal`: every callback and poll result, raw bytes kept.
public enum JournalRepository {
    public static func append(taskID: String, source: String, outcome: String, body: [UInt8], at: Double,
                              in db: some SQLExecutor) throws(StoreError) {
        try db.execute("INSERT INTO journal(task_id, source, outcome, body, received_at) VALUES(?,?,?,?,?)",
                   [taskID, source, outcome, body, at])
    }

    /// `outcome -> count` for one source (`callback`, `poll`, `submit`).
    public static func counts(source: String, in db: some SQLExecutor) throws(StoreError) -> [String: Int] {
        try db.counts("SELECT outcome, COUNT(*) FROM journal WHERE source = ? GROUP BY outcome", [source])
    }

    /// (source, outcome, body) of one task's entries, oldest first.
    public static func entries(taskID: String, in db: some SQLExecutor) throws(StoreError)
        -> [(source: String, outcome: String, body: [UInt8])] {
        try db.query("SELECT source, outcome, body FROM journal WHERE task_id = ? ORDER BY id", [taskID]).map {
            ($0.string(0) ?? "", $0.string(1) ?? "", $0.blob(2) ?? [])
        }
    }
}
