import EvoLink

/// When a task moves through pending -> processing -> terminal, and what it reports at
/// any instant. Pure: a function of the submit time, the durations and `now`.
public struct TaskTimeline: Sendable, Hashable {
    public var created: Double
    public var processingAt: Double
    public var terminalAt: Double

    /// Progress reported while processing runs linearly across this range; 100 only
    /// once completed, 0 while pending.
    public var progressRange: ClosedRange<Int>

    public static let defaultProgressRange = 10...90

    public init(created: Double, pendingSeconds: Double, processingSeconds: Double,
                progressRange: ClosedRange<Int> = TaskTimeline.defaultProgressRange) {
        self.created = created
        self.processingAt = created + max(0, pendingSeconds)
        self.terminalAt = processingAt + max(0, processingSeconds)
        self.progressRange = max(0, progressRange.lowerBound)...min(100, max(progressRange.lowerBound, progressRange.upperBound))
    }

    /// What a stale (out-of-order) processing report says.
    public var midProgress: Int { (progressRange.lowerBound + progressRange.upperBound) / 2 }

    /// Status and progress at `now`, given how the task ends.
    public func state(at now: Double, outcome: TaskOutcome) -> (TaskStatus, Int) {
        if now < processingAt { return (.pending, 0) }
        if now < terminalAt {
            let span = terminalAt - processingAt
            let fraction = span > 0 ? (now - processingAt) / span : 1
            let low = progressRange.lowerBound, high = progressRange.upperBound
            let p = low + Int(Double(high - low) * fraction)
            return (.processing, min(high, max(low, p)))
        }
        switch outcome {
        case .completed: return (.completed, 100)
        // The provider's failed example reports progress 0 (PROVIDER.md).
        case .failed: return (.failed, 0)
        case .cancelled: return (.cancelled, 0)
        }
    }

    /// Whole seconds until the end, rounded up, for `task_info.estimated_time`.
    public var estimatedSeconds: Int { Int((terminalAt - created).rounded(.up)) }
}
