/// Accepted-submit times per caller over the last `window` seconds: a rolling window, so
/// a burst at a minute's boundary cannot get twice the limit through. Pure; the service
/// keeps one behind a lock. Memory is bounded by the limits (a refused submit is not kept).
public struct SubmitRateWindow: Sendable {
    public let window: Double
    private var accepted: [String: [Double]] = [:]

    public init(window: Double = 60) { self.window = window }

    /// Records a submit at `now` and returns nil if it fits `limit` (0 = unlimited);
    /// otherwise records nothing and returns the seconds until one fits again.
    public mutating func admit(caller: String, limit: Int, now: Double) -> Double? {
        guard limit > 0 else { return nil }
        var times = accepted[caller, default: []].filter { $0 > now - window }
        defer { accepted[caller] = times.isEmpty ? nil : times }
        guard times.count >= limit else {
            times.append(now)
            return nil
        }
        return max(0.001, times[times.count - limit] + window - now)
    }
}
