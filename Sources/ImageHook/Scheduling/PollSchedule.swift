/// When the reconciler polls an unfinished task. The provider retries a callback only
/// three times within about 8 s, so a receiver outage loses it for good; polling after
/// `estimated_time` + grace turns that loss into a short delay.
public struct PollSchedule: Sendable, Hashable {
    /// Added to the provider's `estimated_time` before the first poll, seconds.
    public var grace: Double
    /// Used when the provider gave no `estimated_time`, seconds.
    public var defaultEstimate: Double
    /// Backoff between polls of a task that is still unfinished.
    public var backoff: Backoff
    /// Polls stop after this long since creation; the task is left unfinished for an operator.
    public var giveUpAfter: Double

    public init(grace: Double = 30, defaultEstimate: Double = 30,
                backoff: Backoff = Backoff(base: 5, cap: 300, floor: 1), giveUpAfter: Double = 172_800) {
        self.grace = grace
        self.defaultEstimate = defaultEstimate
        self.backoff = backoff
        self.giveUpAfter = giveUpAfter
    }

    /// The first poll of a fresh task.
    public func firstPoll(submittedAt: Double, estimatedTime: Double?) -> Double {
        submittedAt + max(0, estimatedTime ?? defaultEstimate) + grace
    }

    /// The next poll after `polls` unanswered-or-unfinished polls; nil = give up.
    /// The wait grows from the backoff's ceiling with half jitter so a poll is never
    /// instant yet polls of many tasks spread out.
    public func nextPoll(now: Double, polls: Int, submittedAt: Double, random: any RandomSource) -> Double? {
        guard now - submittedAt < giveUpAfter else { return nil }
        let ceiling = backoff.ceiling(attempt: polls)
        return now + max(backoff.floor, ceiling / 2 + ceiling / 2 * random.nextUnit())
    }
}
