/// One row of `tasks`: the provider task as we last applied it.
public struct TaskRecord: Sendable, Hashable {
    public var id: String
    public var submissionID: Int64
    public var caller: String
    public var status: String
    public var progress: Int
    /// Result URLs, one per line (a URL holds no line break).
    public var results: String
    public var errorCode: String?
    public var errorMessage: String?
    /// Provider `created` (unix s); result links expire 24 h after it.
    public var created: Int
    public var estimatedTime: Int?
    /// Requested `WxH`, checked against downloaded images.
    public var size: String?
    /// The raw bytes of the last applied report.
    public var lastBody: [UInt8]?
    public var nextPollAt: Double?
    public var polls: Int
    public var submittedAt: Double
    public var updatedAt: Double

    public init(id: String, submissionID: Int64, caller: String, status: String, progress: Int = 0,
                results: String = "", errorCode: String? = nil, errorMessage: String? = nil,
                created: Int, estimatedTime: Int? = nil, size: String? = nil, lastBody: [UInt8]? = nil,
                nextPollAt: Double? = nil, polls: Int = 0, submittedAt: Double, updatedAt: Double) {
        self.id = id
        self.submissionID = submissionID
        self.caller = caller
        self.status = status
        self.progress = progress
        self.results = results
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.created = created
        self.estimatedTime = estimatedTime
        self.size = size
        self.lastBody = lastBody
        self.nextPollAt = nextPollAt
        self.polls = polls
        self.submittedAt = submittedAt
        self.updatedAt = updatedAt
    }

    init(row: Row) {
        self.init(id: row.string("id") ?? "", submissionID: row.int64("submission_id") ?? 0,
                  caller: row.string("caller") ?? "", status: row.string("status") ?? "pending",
                  progress: row.int("progress") ?? 0, results: row.string("results") ?? "",
                  errorCode: row.string("error_code"), errorMessage: row.string("error_message"),
                  created: row.int("created") ?? 0, estimatedTime: row.int("estimated_time"),
                  size: row.string("size"), lastBody: row.blob("last_body"),
                  nextPollAt: row.double("next_poll_at"), polls: row.int("polls") ?? 0,
                  submittedAt: row.double("submitted_at") ?? 0, updatedAt: row.double("updated_at") ?? 0)
    }
}
