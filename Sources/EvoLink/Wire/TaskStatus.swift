/// A task's lifecycle state. The provider documents pending, processing, completed and
/// failed; the callback text also names `cancelled`, which the provider's own client
/// treats as terminal (PROVIDER.md, Task detail). Ordered so that a state only
/// ever moves forward: pending < processing < every terminal state.
public enum TaskStatus: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case pending
    case processing
    case completed
    case failed
    case cancelled

    /// Completed, failed and cancelled never change again; callbacks fire on these.
    public var isTerminal: Bool {
        switch self {
        case .pending, .processing: false
        case .completed, .failed, .cancelled: true
        }
    }

    /// Rank for ordering: all terminal states share the top rank because no terminal
    /// state may replace another.
    public var rank: Int {
        switch self {
        case .pending: 0
        case .processing: 1
        case .completed, .failed, .cancelled: 2
        }
    }

    public static func < (lhs: TaskStatus, rhs: TaskStatus) -> Bool { lhs.rank < rhs.rank }
}
