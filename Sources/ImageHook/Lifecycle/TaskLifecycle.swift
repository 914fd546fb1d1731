/// The task state machine: reports in, outcome and actions out. No clock, no I/O.
///
/// Rules (DESIGN "Invariants"): status only moves forward, pending < processing <
/// terminal; a terminal state never changes; progress only increases; a report equal to
/// the current state is a duplicate (the provider retries callbacks three times, and a
/// poll may race the callback).
public struct TaskLifecycle: Sendable, Hashable {
    public private(set) var state: TaskSnapshot?

    public init(state: TaskSnapshot? = nil) {
        self.state = state
    }

    public mutating func apply(_ event: TaskEvent) -> TaskOutcome {
        let incoming = event.snapshot
        guard let current = state else {
            return accept(incoming)
        }
        if incoming == current { return .duplicate }
        if current.status.isTerminal {
            return incoming.status.isTerminal ? .conflict : .stale
        }
        if incoming.status.rank < current.status.rank { return .stale }
        if incoming.status.rank == current.status.rank {
            // Same unfinished status: only a progress increase is news.
            guard incoming.progress > current.progress else { return .stale }
            return accept(incoming)
        }
        var next = incoming
        if !next.status.isTerminal { next.progress = max(next.progress, current.progress) }
        return accept(next)
    }

    private mutating func accept(_ next: TaskSnapshot) -> TaskOutcome {
        state = next
        return .applied(next, Self.actions(for: next))
    }

    static func actions(for snapshot: TaskSnapshot) -> [TaskAction] {
        switch snapshot.status {
        case .pending, .processing:
            return []
        case .completed:
            // `results` may be empty (all images moderated away): relay straight away.
            return snapshot.results.isEmpty
                ? [.stopPolling, .scheduleRelay]
                : [.stopPolling, .enqueueDownloads(snapshot.results)]
        case .failed, .cancelled:
            return [.stopPolling, .scheduleRelay]
        }
    }
}
