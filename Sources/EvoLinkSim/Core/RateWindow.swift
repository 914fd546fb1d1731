/// A fixed-window request counter for one API key.
struct RateWindow: Sendable, Hashable {
    var start: Double
    var count: Int

    /// Counts a request at `now`; nil when allowed, else the whole seconds to wait
    /// (for `Retry-After`, RFC 9110 §10.2.3).
    mutating func admit(now: Double, limit: Int, window: Double) -> Int? {
        if now >= start + window {
            start = now
            count = 0
        }
        guard count < limit else {
            return max(1, Int((start + window - now).rounded(.up)))
        }
        count += 1
        return nil
    }
}
