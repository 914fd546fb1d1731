/// Decides what follows a failed download attempt. Pure: times are unix seconds.
public struct DownloadRetryPolicy: Sendable, Hashable {
    /// What to do with the job after a failure.
    public enum Decision: Sendable, Hashable {
        case retry(at: Double)
        case failed(reason: String)
        case expired(reason: String)
    }

    public var backoff: Backoff
    /// Result links die this long after task creation (provider fact: 24 h).
    public var linkLifetime: Double
    /// Cap on attempts for content faults (corrupt, truncated), which rarely heal.
    public var maxContentFaultAttempts: Int
    /// Cap on attempts overall; expiry usually ends a job first.
    public var maxAttempts: Int

    public init(backoff: Backoff = Backoff(base: 1, cap: 600), linkLifetime: Double = 86_400,
                maxContentFaultAttempts: Int = 4, maxAttempts: Int = 60) {
        self.backoff = backoff
        self.linkLifetime = linkLifetime
        self.maxContentFaultAttempts = maxContentFaultAttempts
        self.maxAttempts = maxAttempts
    }

    /// The instant the links of a task created at `taskCreated` stop working.
    public func expiry(taskCreated: Double) -> Double { taskCreated + linkLifetime }

    /// `attempts` counts attempts made so far, including the one that just failed.
    public func decide(failure: DownloadFailure, attempts: Int, now: Double,
                       taskCreated: Double, random: any RandomSource) -> Decision {
        let expiresAt = expiry(taskCreated: taskCreated)
        guard failure.isRetryable else { return .failed(reason: failure.description) }
        if failure.isContentFault && attempts >= maxContentFaultAttempts {
            return .failed(reason: "\(failure.description) (after \(attempts) attempts)")
        }
        if attempts >= maxAttempts {
            return .failed(reason: "\(failure.description) (after \(attempts) attempts)")
        }
        let at = now + backoff.delay(attempt: attempts - 1, random: random)
        // Never schedule past the link's death: the attempt could only fail.
        guard at < expiresAt else {
            return .expired(reason: "link expired 24 h after task creation; last error: \(failure.description)")
        }
        return .retry(at: at)
    }

    /// Whether a job may still start at `now`.
    public func isExpired(now: Double, taskCreated: Double) -> Bool {
        now >= expiry(taskCreated: taskCreated)
    }
}
