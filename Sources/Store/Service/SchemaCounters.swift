/// Schema step 2: the `counters` table the ledger reads, kept by triggers on the rows it
/// counts; the retention indexes; and `image_files`, the stored files no download job
/// points at any more (their task was pruned, or their job's image retention ran out),
/// each removed from disk only after the commit that put it there, and then only when no
/// `stored` job has the same content.
///
/// Row counters (`journal.<source>.<outcome>`, `jobs.<state>`, `relays.<state>`) follow
/// every INSERT, state UPDATE and DELETE of their table inside the statement's own
/// transaction, so they can never drift from a commit. A DELETE made by the pruner (which
/// sets `prune.active` to 1 for the length of its own write) also adds to the matching
/// `pruned.*` counter; any other DELETE (an operator's `sqlite3`, a lost page restored
/// from an older backup) lowers the live counter with nothing beside it, and the ledger,
/// which compares these against counters kept by the code that made the promise, names
/// the gap. Existing rows are counted once when the step is applied.
public enum SchemaCounters {
    /// The pruner's flag: 1 inside a pruning write, else 0.
    public static let pruneFlag = "prune.active"

    struct CountedTable {
        let table: String
        /// SQL expression giving the counter name of a row, given `NEW` or `OLD`.
        let key: @Sendable (String) -> String
        /// The column whose change moves a row from one counter to another, if any.
        let stateColumn: String?
    }

    static let countedTables = [
        CountedTable(table: "journal", key: { "'journal.' || \($0).source || '.' || \($0).outcome" }, stateColumn: nil),
        CountedTable(table: "download_jobs", key: { "'jobs.' || \($0).state" }, stateColumn: "state"),
        CountedTable(table: "relay_deliveries", key: { "'relays.' || \($0).state" }, stateColumn: "state"),
    ]

    private static func bump(_ key: String, _ delta: String) -> String {
        "INSERT INTO counters(name, value) VALUES(\(key), \(delta)) ON CONFLICT(name) DO UPDATE SET value = value + \(delta);"
    }

    private static func triggers(_ t: CountedTable) -> String {
        let new = t.key("NEW")
        let old = t.key("OLD")
        let pruning = "(SELECT value FROM counters WHERE name = '\(pruneFlag)') = 1"
        var sql = """
            CREATE TRIGGER \(t.table)_count_insert AFTER INSERT ON \(t.table) BEGIN \(bump(new, "1")) END;
            CREATE TRIGGER \(t.table)_count_delete AFTER DELETE ON \(t.table) BEGIN \(bump(old, "-1")) END;
            CREATE TRIGGER \(t.table)_count_pruned AFTER DELETE ON \(t.table) WHEN \(pruning)
              BEGIN \(bump("'pruned.' || " + old, "1")) END;

            """
        if let column = t.stateColumn {
            sql += """
                CREATE TRIGGER \(t.table)_count_update AFTER UPDATE OF \(column) ON \(t.table)
                  WHEN OLD.\(column) IS NOT NEW.\(column) BEGIN \(bump(old, "-1")) \(bump(new, "1")) END;

                """
        }
        return sql
    }

    /// Counts the rows already there, so a database from before this step starts balanced.
    /// Decision-side counters take the best record history has: acknowledged callbacks
    /// are the journaled ones, promised images the jobs, owed relays the deliveries plus
    /// finished relay tasks still waiting for their images.
    private static let backfill = """
        INSERT INTO counters(name, value) SELECT 'journal.' || source || '.' || outcome, COUNT(*) FROM journal
          GROUP BY source, outcome;
        INSERT INTO counters(name, value) SELECT 'jobs.' || state, COUNT(*) FROM download_jobs GROUP BY state;
        INSERT INTO counters(name, value) SELECT 'relays.' || state, COUNT(*) FROM relay_deliveries GROUP BY state;
        INSERT INTO counters(name, value) SELECT 'callback.answered.2xx', COUNT(*) FROM journal
          WHERE source = 'callback' AND outcome IN ('applied','duplicate','stale','conflict');
        INSERT INTO counters(name, value) SELECT 'callback.answered.409', COUNT(*) FROM journal
          WHERE source = 'callback' AND outcome = 'mismatch';
        INSERT INTO counters(name, value) SELECT 'images.promised', COUNT(*) FROM download_jobs;
        INSERT INTO counters(name, value) SELECT 'relays.awaiting', COUNT(*) FROM tasks t
          JOIN submissions s ON s.id = t.submission_id
          WHERE t.status IN ('completed','failed','cancelled') AND COALESCE(s.relay_url, '') != ''
            AND NOT EXISTS (SELECT 1 FROM relay_deliveries r WHERE r.task_id = t.id);
        INSERT INTO counters(name, value) SELECT 'relays.owed',
          (SELECT COUNT(*) FROM relay_deliveries) + (SELECT value FROM counters WHERE name = 'relays.awaiting');
        INSERT INTO counters(name, value) VALUES('\(pruneFlag)', 0);

        """

    static var migrationSQL: String {
        "CREATE TABLE counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;\n"
            + backfill + countedTables.map(triggers).joined()
            + """
            CREATE INDEX journal_received ON journal(received_at);
            CREATE INDEX tasks_finished ON tasks(updated_at) WHERE status IN ('completed','failed','cancelled');
            CREATE INDEX submissions_created ON submissions(created_at);
            CREATE INDEX relay_updated ON relay_deliveries(updated_at) WHERE state != 'pending';
            CREATE INDEX jobs_sha ON download_jobs(sha256) WHERE sha256 IS NOT NULL;
            CREATE INDEX jobs_stored_age ON download_jobs(updated_at) WHERE state = 'stored';
            CREATE TABLE image_files(
              path TEXT PRIMARY KEY,
              sha256 TEXT NOT NULL,
              stored_at REAL NOT NULL
            );
            CREATE INDEX image_files_age ON image_files(stored_at);

            """
    }
}
