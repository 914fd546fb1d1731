/// How a simulated task ends, decided when it is submitted.
public enum TaskOutcome: Sendable, Hashable {
    /// Completed with this many result images (fewer than `n` when moderation "dropped"
    /// some).
    case completed(results: Int)
    /// Failed with this task error code.
    case failed(code: String)
    /// Cancelled, reported as status `cancelled`.
    case cancelled

}
