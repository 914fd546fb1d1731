/// One row of `relay_deliveries`: the signed POST of a final task to its submitter.
public struct RelayDeliveryRecord: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, CaseIterable {
        case pending, delivered
        case givenUp = "given_up"
    }

    public var taskID: String
    public var url: String
    /// Stable across attempts (`webhook-id`), so the receiver can deduplicate.
    public var webhookID: String
    public var state: State
    public var attempts: Int
    public var nextAttemptAt: Double
    public var firstAttemptAt: Double?
    public var lastStatus: Int?
    public var lastError: String?
    public var updatedAt: Double

    public init(taskID: String, url: String, webhookID: String, state: State = .pending, attempts: Int = 0,
                nextAttemptAt: Double, firstAttemptAt: Double? = nil, lastStatus: Int? = nil,
                lastError: String? = nil, updatedAt: Double) {
        self.taskID = taskID
        self.url = url
        self.webhookID = webhookID
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.firstAttemptAt = firstAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.updatedAt = updatedAt
    }

    init(row: Row) {
        self.init(taskID: row.string("task_id") ?? "", url: row.string("url") ?? "",
                  webhookID: row.string("webhook_id") ?? "",
                  state: State(rawValue: row.string("state") ?? "") ?? .pending,
                  attempts: row.int("attempts") ?? 0, nextAttemptAt: row.double("next_attempt_at") ?? 0,
                  firstAttemptAt: row.double("first_attempt_at"), lastStatus: row.int("last_status"),
                  lastError: row.string("last_error"), updatedAt: row.double("updated_at") ?? 0)
    }
}
