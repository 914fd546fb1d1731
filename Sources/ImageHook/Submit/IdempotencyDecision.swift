/// The Idempotency-Key contract for `POST /v1/images/generations`: same key and same
/// request fingerprint -> the stored answer; same key with a different body -> 422;
/// same key still in flight -> 409 with Retry-After. Keys are scoped per caller.
public enum IdempotencyDecision: Sendable, Hashable {
    /// Unknown key: record a new submission.
    case proceed
    /// Finished earlier: answer with the stored answer, send nothing.
    case replay
    /// Same key, different request: 422.
    case conflict
    /// The same key is being submitted right now: 409 + Retry-After.
    case inFlight
    /// An earlier attempt ended ambiguous (or the process died mid-call): retry the
    /// provider with the same key and callback token, never a fresh submit.
    case resume

    /// - Parameters:
    ///   - existing: the stored fingerprint and state for this caller+key, if any.
    ///   - fingerprint: this request's fingerprint.
    ///   - activeHere: whether this process is calling the provider for the key now.
    public static func decide(existing: (fingerprint: String, state: SubmissionState)?,
                              fingerprint: String, activeHere: Bool) -> IdempotencyDecision {
        guard let existing else { return .proceed }
        guard existing.fingerprint == fingerprint else { return .conflict }
        switch existing.state {
        case .submitted, .rejected, .abandoned: return .replay
        case .submitting, .ambiguous: return activeHere ? .inFlight : .resume
        }
    }
}
