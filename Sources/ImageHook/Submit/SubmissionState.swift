/// The durable state of one submission, recorded BEFORE the provider is called so a
/// crash between sending and recording can never lead to a second, fresh submit.
public enum SubmissionState: String, Sendable, Hashable, Codable {
    /// Recorded; the provider call is under way (or was, when the process died).
    case submitting
    /// The provider call may or may not have reached it (timeout after sending, 5xx,
    /// crash). Resolved only by retrying with the SAME Idempotency-Key.
    case ambiguous
    /// The provider answered with a task; the stored answer is its JSON.
    case submitted
    /// The provider refused definitively (4xx); the stored answer is its error.
    case rejected
    /// Still unconfirmed after `ambiguousGiveUpAge`: never retried again (past the
    /// provider's idempotency window a retry could bill a second task). The stored
    /// answer says so; a late callback through the submission's token still attaches
    /// the task if the provider did create it.
    case abandoned
}
