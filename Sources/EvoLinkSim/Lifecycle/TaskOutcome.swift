/// How a simulated task ends, decided when it is submitted.
public enum TaskOutcome: Sendable, Hashable {
    /// Completed with this many result images (fewer than `n` when moderation "dropped"
    /// some).
    case completed(results: Int)
    /// Failed with this task error code.
    case failed(code: String)
    /// Cancelled, reported as status `cancelled`.
    case cancelled

    var status: TaskStatusName {
        switch self {
        case .completed: .completed
        case .failed: .failed
        case .cancelled: .cancelled
        }
    }

    enum TaskStatusName { case completed, failed, cancelled }
}
