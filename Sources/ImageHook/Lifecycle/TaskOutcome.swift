/// What applying one report did. Every report, whatever the outcome, is journaled.
public enum TaskOutcome: Sendable, Hashable {
    /// The state moved forward to the snapshot given; the actions follow.
    case applied(TaskSnapshot, [TaskAction])
    /// Same content as the current state: answered 2xx, no new work.
    case duplicate
    /// Older than the current state (lower status, or lower progress): ignored.
    case stale
    /// A terminal report that disagrees with an earlier terminal state: terminal is
    /// final, so it is journaled and counted, never applied.
    case conflict

    /// The label stored in the journal's `outcome` column.
    public var label: String {
        switch self {
        case .applied: "applied"
        case .duplicate: "duplicate"
        case .stale: "stale"
        case .conflict: "conflict"
        }
    }
}
