/// Counters of the group-commit writer, for metrics and tests.
public struct WriterStatistics: Sendable, Equatable {
    /// Successful COMMITs (each is one WAL fsync with synchronous=FULL).
    public var commits: Int = 0
    /// `write` bodies whose work was committed.
    public var committedWrites: Int = 0
    /// `write` bodies that threw (their savepoint was rolled back).
    public var failedWrites: Int = 0
    /// BEGIN or COMMIT failures; every caller in such a batch got the error.
    public var failedBatches: Int = 0
    /// The largest number of bodies in one batch so far.
    public var largestBatch: Int = 0
    /// Wall time spent in successful COMMITs (mostly the WAL fsync), in seconds.
    public var commitSeconds: Double = 0

    public init() {}

    /// Average COMMIT time in seconds (about one fsync).
    public var averageCommitSeconds: Double {
        commits == 0 ? 0 : commitSeconds / Double(commits)
    }

    /// Average bodies per commit, the group-commit gain.
    public var writesPerCommit: Double {
        commits == 0 ? 0 : Double(committedWrites) / Double(commits)
    }
}
