/// Operator re-drive: relays that were given up and images that failed for good, listed
/// by caller and time (when they gave up), and put back to work with a fresh budget. A
/// relay keeps its row, so its `webhook_id` (the submitter's idempotency key for the
/// notification) is the same; an image job keeps its task and index.
public enum RedriveRepository {
    /// One given-up relay or failed image, with its task's caller.
    public struct Item: Sendable, Hashable {
        public let taskID: String
        public let caller: String
        /// Image index; nil for a relay.
        public let index: Int?
        /// Relay URL or image source URL.
        public let url: String
        /// The relay's webhook-id; nil for an image.
        public let webhookID: String?
        public let attempts: Int
        public let reason: String?
        /// When it gave up (unix seconds).
        public let at: Double
    }

    /// Filters; nil matches anything. `since`/`until` bound the give-up time, inclusive/exclusive.
    public struct Filter: Sendable, Hashable {
        public var taskID: String?
        public var caller: String?
        public var since: Double?
        public var until: Double?
        public var limit: Int

        public init(taskID: String? = nil, caller: String? = nil, since: Double? = nil, until: Double? = nil, limit: Int = 100) {
            self.taskID = taskID
            self.caller = caller
            self.since = since
            self.until = until
            self.limit = limit
        }

        var arguments: [any SQLValueConvertible] { [taskID, caller, since, until, limit] }
    }

    static let filterSQL = """
        (?1 IS NULL OR t.id = ?1) AND (?2 IS NULL OR t.caller = ?2)
          AND (?3 IS NULL OR x.updated_at >= ?3) AND (?4 IS NULL OR x.updated_at < ?4)
        """

    public static func givenUpRelays(_ f: Filter, in db: some SQLExecutor) throws(StoreError) -> [Item] {
        try db.query("""
            SELECT t.id, t.caller, x.url, x.webhook_id, x.attempts, COALESCE(x.last_error, 'HTTP ' || x.last_status), x.updated_at
            FROM relay_deliveries x JOIN tasks t ON t.id = x.task_id
            WHERE x.state = 'given_up' AND \(filterSQL) ORDER BY x.updated_at, t.id LIMIT ?5
            """, f.arguments).map {
            Item(taskID: $0.string(0) ?? "", caller: $0.string(1) ?? "", index: nil, url: $0.string(2) ?? "",
                 webhookID: $0.string(3), attempts: $0.int(4) ?? 0, reason: $0.string(5), at: $0.double(6) ?? 0)
        }
    }

    public static func failedImages(_ f: Filter, in db: some SQLExecutor) throws(StoreError) -> [Item] {
        try db.query("""
            SELECT t.id, t.caller, x.idx, x.url, x.attempts, x.reason, x.updated_at
            FROM download_jobs x JOIN tasks t ON t.id = x.task_id
            WHERE x.state = 'failed' AND \(filterSQL) ORDER BY x.updated_at, t.id, x.idx LIMIT ?5
            """, f.arguments).map {
            Item(taskID: $0.string(0) ?? "", caller: $0.string(1) ?? "", index: $0.int(2), url: $0.string(3) ?? "",
                 webhookID: nil, attempts: $0.int(4) ?? 0, reason: $0.string(5), at: $0.double(6) ?? 0)
        }
    }

    /// Back to `pending`, due now, with a fresh attempt budget and retry window; the
    /// webhook-id is untouched. False when it is not given up (any more).
    public static func redriveRelay(taskID: String, now: Double, in db: some SQLExecutor) throws(StoreError) -> Bool {
        try db.execute("""
            UPDATE relay_deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?2, first_attempt_at = NULL,
              last_error = NULL, updated_at = ?2
            WHERE task_id = ?1 AND state = 'given_up'
            """, [taskID, now]) == 1
    }

    /// Back to `queued`, due now, with a fresh attempt budget. False when not failed.
    public static func redriveImage(taskID: String, index: Int, now: Double, in db: some SQLExecutor) throws(StoreError) -> Bool {
        try db.execute("""
            UPDATE download_jobs SET state = 'queued', attempts = 0, next_attempt_at = ?3, reason = NULL, updated_at = ?3
            WHERE task_id = ?1 AND idx = ?2 AND state = 'failed'
            """, [taskID, index, now]) == 1
    }
}
