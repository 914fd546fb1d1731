/// `imagehookd check-ledger`: every counter that can be recounted from the rows is,
/// and the two are compared. This is the slow, history-sized check the constant-time
/// ledger deliberately is not; run it by hand or from a timer, not per request.
public enum CounterAudit {
    /// One counter whose stored value differs from the recount.
    public struct Difference: Sendable, Hashable, CustomStringConvertible {
        public let counter: String
        public let stored: Int
        public let recounted: Int

        public var description: String { "\(counter): counter \(stored), rows \(recounted)" }
    }

    /// Counter prefixes whose value is exactly a row count.
    static let rowCounterPrefixes = ["journal.", "jobs.", "relays."]

    /// The row-derived value of every recountable counter.
    public static func recount(in db: some SQLExecutor) throws(StoreError) -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try db.query("SELECT 'journal.' || source || '.' || outcome, COUNT(*) FROM journal GROUP BY source, outcome")
            + db.query("SELECT 'jobs.' || state, COUNT(*) FROM download_jobs GROUP BY state")
            + db.query("SELECT 'relays.' || state, COUNT(*) FROM relay_deliveries GROUP BY state") {
            out[row.string(0) ?? ""] = row.int(1) ?? 0
        }
        out["relays.awaiting"] = try db.scalar("""
            SELECT COUNT(*) FROM tasks t JOIN submissions s ON s.id = t.submission_id
            WHERE t.status IN ('completed','failed','cancelled') AND COALESCE(s.relay_url, '') != ''
              AND NOT EXISTS (SELECT 1 FROM relay_deliveries r WHERE r.task_id = t.id)
            """).int ?? 0
        // Results are stored one URL per line (ReportApplier.encodeResults).
        out["images.promised.live"] = try db.scalar("""
            SELECT COALESCE(SUM(CASE WHEN results = '' THEN 0
                                     ELSE length(results) - length(replace(results, char(10), '')) + 1 END), 0)
            FROM tasks WHERE status = 'completed'
            """).int ?? 0
        return out
    }

    /// Counters that differ from their recount, sorted by name.
    public static func differences(in db: some SQLExecutor) throws(StoreError) -> [Difference] {
        let stored = try CounterRepository.all(in: db)
        let counted = try recount(in: db)
        var expected = counted
        expected["images.promised.live"] = nil
        var names = Set(expected.keys)
        for name in stored.keys where rowCounterPrefixes.contains(where: name.hasPrefix)
            && name != "relays.owed" && name != "relays.awaiting" {
            names.insert(name)
        }
        var out: [Difference] = []
        for name in names.sorted() where stored[name, default: 0] != expected[name, default: 0] {
            out.append(Difference(counter: name, stored: stored[name, default: 0], recounted: expected[name, default: 0]))
        }
        // Promised images still backed by a completed task row.
        let promisedLive = stored["images.promised", default: 0] - stored["pruned.images.promised", default: 0]
        let rows = counted["images.promised.live", default: 0]
        if promisedLive != rows {
            out.append(Difference(counter: "images.promised", stored: promisedLive, recounted: rows))
        }
        return out
    }
}

extension CounterAudit {
    /// Counters and their differences from the rows, read in one read transaction on a
    /// read-only connection of its own, so it can run beside a live daemon (WAL) and
    /// sees one consistent commit.
    public static func run(databasePath path: String) throws(StoreError)
        -> (counters: [String: Int], differences: [Difference]) {
        let connection = try Connection(path: path, readOnly: true, configuration: DatabaseConfiguration())
        defer { connection.close() }
        try connection.executeScript("BEGIN")
        defer { try? connection.executeScript("COMMIT") }
        return (try CounterRepository.all(in: connection), try differences(in: connection))
    }
}
