/// A task's status as the provider reports it, with the order the lifecycle enforces:
/// pending < processing < terminal (completed | failed | cancelled). The provider's
/// callback text names `cancelled` as terminal beside the documented four statuses.
public enum TaskPhase: String, Sendable, Hashable, Codable, CaseIterable {
    case pending, processing, completed, failed, cancelled

    /// Position in the forward-only order; all terminal phases share the top rank.
    public var rank: Int {
        switch self {
        case .pending: 0
        case .processing: 1
        case .completed, .failed, .cancelled: 2
        }
    }

    public var isTerminal: Bool { rank == 2 }
}
