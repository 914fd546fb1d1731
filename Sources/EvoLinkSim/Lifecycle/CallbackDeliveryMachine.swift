/// The provider's callback retry rule as a pure state machine (PROVIDER.md,
/// Callbacks): one attempt, then up to `retryDelays.count` retries, each after the
/// given gap following the failed attempt; any 2xx ends it.
public struct CallbackDeliveryMachine: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// Make attempt number `attempt` (1-based) after `delay` seconds.
        case send(attempt: Int, delay: Double)
        case delivered(attempts: Int)
        case gaveUp(attempts: Int)
    }

    public let retryDelays: [Double]
    public private(set) var attempts = 0
    public private(set) var finished = false

    public init(retryDelays: [Double]) { self.retryDelays = retryDelays }

    /// The first attempt, after `initialDelay` (0 normally; a "late" fault delays it).
    public mutating func start(initialDelay: Double = 0) -> Action {
        .send(attempt: 1, delay: max(0, initialDelay))
    }

    /// Reports the result of the attempt just made.
    public mutating func attemptFinished(success: Bool) -> Action {
        attempts += 1
        if success {
            finished = true
            return .delivered(attempts: attempts)
        }
        guard attempts <= retryDelays.count else {
            finished = true
            return .gaveUp(attempts: attempts)
        }
        return .send(attempt: attempts + 1, delay: retryDelays[attempts - 1])
    }
}
