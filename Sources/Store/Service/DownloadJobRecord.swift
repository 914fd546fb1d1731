/// One row of `download_jobs`: one result URL of one task.
public struct DownloadJobRecord: Sendable, Hashable {
    /// Job states; `queued` and `running` are in flight. `removed`: it was stored, and
    /// image retention has since deleted the file.
    public enum State: String, Sendable, Hashable, CaseIterable {
        case queued, running, stored, failed, expired, removed
        public var isFinal: Bool { self != .queued && self != .running }
    }

    public var taskID: String
    public var index: Int
    public var url: String
    public var state: State
    public var attempts: Int
    public var nextAttemptAt: Double
    public var reason: String?
    public var sha256: String?
    public var ext: String?
    public var bytes: Int?
    public var path: String?
    public var updatedAt: Double

    public init(taskID: String, index: Int, url: String, state: State = .queued, attempts: Int = 0,
                nextAttemptAt: Double, reason: String? = nil, sha256: String? = nil, ext: String? = nil,
                bytes: Int? = nil, path: String? = nil, updatedAt: Double) {
        self.taskID = taskID
        self.index = index
        self.url = url
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.reason = reason
        self.sha256 = sha256
        self.ext = ext
        self.bytes = bytes
        self.path = path
        self.updatedAt = updatedAt
    }

    init(row: Row) {
        self.init(taskID: row.string("task_id") ?? "", index: row.int("idx") ?? 0, url: row.string("url") ?? "",
                  state: State(rawValue: row.string("state") ?? "") ?? .queued, attempts: row.int("attempts") ?? 0,
                  nextAttemptAt: row.double("next_attempt_at") ?? 0, reason: row.string("reason"),
                  sha256: row.string("sha256"), ext: row.string("ext"), bytes: row.int("bytes"),
                  path: row.string("path"), updatedAt: row.double("updated_at") ?? 0)
    }
}
