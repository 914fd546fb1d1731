/// Exponential backoff with full jitter: attempt k waits a uniform random time in
/// [0, min(cap, base * 2^k)]; full jitter spreads retries of many jobs that failed
/// together (one CDN outage) instead of synchronising them.
public struct Backoff: Sendable, Hashable {
    /// Seconds before the first retry (upper bound of the first jitter window).
    public var base: Double
    /// Upper bound of any single wait, seconds.
    public var cap: Double
    /// Lower bound of any single wait, seconds, so a retry is never immediate.
    public var floor: Double

    public init(base: Double, cap: Double, floor: Double = 0.05) {
        self.base = base
        self.cap = cap
        self.floor = floor
    }

    /// The jitter window's upper bound for `attempt` (0-based: the wait after the first
    /// failure).
    public func ceiling(attempt: Int) -> Double {
        let exponent = Double(min(max(attempt, 0), 62))
        return min(cap, base * pow2(exponent))
    }

    public func delay(attempt: Int, random: any RandomSource) -> Double {
        max(floor, ceiling(attempt: attempt) * random.nextUnit())
    }

    private func pow2(_ e: Double) -> Double {
        var r = 1.0
        var i = 0.0
        while i < e { r *= 2; i += 1; if r > 1e18 { break } }
        return r
    }
}
