#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point on the monotonic clock (wall-clock jumps must not shorten or stretch
/// timeouts), tagged with the phase it belongs to so expiry names the right phase.
struct Deadline: Sendable {
    let nanoseconds: UInt64
    let phase: HTTPClientTimeouts.Phase

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    static func after(_ seconds: Double, _ phase: HTTPClientTimeouts.Phase) -> Deadline {
        let delta = seconds <= 0 ? 0 : UInt64(min(seconds, 1e9) * 1e9)
        return Deadline(nanoseconds: now() + delta, phase: phase)
    }

    /// The sooner of two deadlines; its phase is the one reported on expiry.
    func capped(by other: Deadline) -> Deadline {
        other.nanoseconds < nanoseconds ? other : self
    }

    /// Milliseconds left, 0 when passed.
    var remainingMilliseconds: Int {
        let n = Self.now()
        return n >= nanoseconds ? 0 : Int((nanoseconds - n + 999_999) / 1_000_000)
    }

    var hasPassed: Bool { Self.now() >= nanoseconds }

    var error: HTTPClientError { .timeout(phase: phase.rawValue) }
}
