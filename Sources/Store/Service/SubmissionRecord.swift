/// One row of `submissions`: a caller's request under one Idempotency-Key.
public struct SubmissionRecord: Sendable, Hashable {
    public var id: Int64
    public var caller: String
    public var idempotencyKey: String
    public var fingerprint: String
    /// SHA-256 of the callback token; the token itself is never stored.
    public var tokenHash: [UInt8]
    /// Random nonce the callback token is derived from (with a key kept outside the
    /// database), so an ambiguous submit can be retried with the very same callback URL.
    public var tokenNonce: [UInt8]
    /// The submitter's own callback_url (relay target), not forwarded to the provider.
    public var relayURL: String?
    /// The provider-bound request body, without our callback_url.
    public var request: [UInt8]
    /// `submitting`, `ambiguous`, `submitted` or `rejected`.
    public var state: String
    public var answerStatus: Int?
    public var answer: [UInt8]?
    public var taskID: String?
    public var attempts: Int
    public var createdAt: Double
    public var updatedAt: Double

    public init(id: Int64 = 0, caller: String, idempotencyKey: String, fingerprint: String,
                tokenHash: [UInt8], tokenNonce: [UInt8], relayURL: String?, request: [UInt8], state: String,
                answerStatus: Int? = nil, answer: [UInt8]? = nil, taskID: String? = nil,
                attempts: Int = 0, createdAt: Double, updatedAt: Double) {
        self.id = id
        self.caller = caller
        self.idempotencyKey = idempotencyKey
        self.fingerprint = fingerprint
        self.tokenHash = tokenHash
        self.tokenNonce = tokenNonce
        self.relayURL = relayURL
        self.request = request
        self.state = state
        self.answerStatus = answerStatus
        self.answer = answer
        self.taskID = taskID
        self.attempts = attempts
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    init(row: Row) {
        self.init(id: row.int64("id") ?? 0, caller: row.string("caller") ?? "",
                  idempotencyKey: row.string("idem_key") ?? "", fingerprint: row.string("fingerprint") ?? "",
                  tokenHash: row.blob("token_hash") ?? [], tokenNonce: row.blob("token_nonce") ?? [],
                  relayURL: row.string("relay_url"),
                  request: row.blob("request") ?? [], state: row.string("state") ?? "",
                  answerStatus: row.int("answer_status"), answer: row.blob("answer"),
                  taskID: row.string("task_id"), attempts: row.int("attempts") ?? 0,
                  createdAt: row.double("created_at") ?? 0, updatedAt: row.double("updated_at") ?? 0)
    }
}
