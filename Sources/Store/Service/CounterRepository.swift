/// Reads and bumps `counters` (see `SchemaCounters`). The table holds a few dozen rows
/// whatever the history, so reading all of it costs the same at 10 tasks or 10 million.
public enum CounterRepository {
    public static func all(in db: some SQLExecutor) throws(StoreError) -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try db.query("SELECT name, value FROM counters") {
            out[row.string(0) ?? ""] = row.int(1) ?? 0
        }
        return out
    }

    /// Adds `delta` to `name`, creating it at `delta`. Call it in the transaction that
    /// makes the change being counted.
    public static func add(_ name: String, _ delta: Int = 1, in db: some SQLExecutor) throws(StoreError) {
        guard delta != 0 else { return }
        try db.execute("INSERT INTO counters(name, value) VALUES(?1, ?2) ON CONFLICT(name) DO UPDATE SET value = value + ?2",
                       [name, delta])
    }

    public static func set(_ name: String, _ value: Int, in db: some SQLExecutor) throws(StoreError) {
        try db.execute("INSERT INTO counters(name, value) VALUES(?1, ?2) ON CONFLICT(name) DO UPDATE SET value = ?2",
                       [name, value])
    }
}
