/// Retry schedule for relay POSTs to a submitter's callback_url: backoff up to an hour
/// between attempts, kept up for `retention` (at least 24 h, the contract).
public struct RelayRetryPolicy: Sendable, Hashable {
    public enum Decision: Sendable, Hashable {
        case retry(at: Double)
        case givenUp(reason: String)
    }

    public var backoff: Backoff
    /// How long after the first attempt deliveries keep being retried, seconds.
    public var retention: Double

    public init(backoff: Backoff = Backoff(base: 2, cap: 3600, floor: 0.5), retention: Double = 129_600) {
        self.backoff = backoff
        self.retention = max(retention, 86_400)
    }

    /// `attempts` includes the one that just failed.
    public func decide(attempts: Int, firstAttemptAt: Double, now: Double,
                       random: any RandomSource, lastError: String) -> Decision {
        let at = now + backoff.delay(attempt: attempts - 1, random: random)
        guard at - firstAttemptAt <= retention else {
            return .givenUp(reason: "gave up after \(attempts) attempts: \(lastError)")
        }
        return .retry(at: at)
    }
}
