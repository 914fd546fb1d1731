import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A wall-clock instant split the way a log timestamp needs it, read with
/// `clock_gettime` so a line costs no `Date`.
struct WallClock {
    var seconds: Int
    var milliseconds: Int

    static func now() -> WallClock {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return WallClock(seconds: Int(spec.tv_sec), milliseconds: Int(spec.tv_nsec) / 1_000_000)
    }

    init(seconds: Int, milliseconds: Int) {
        self.seconds = seconds
        self.milliseconds = milliseconds
    }

    init(_ date: Date) {
        let interval = date.timeIntervalSince1970
        let whole = interval.rounded(.down)
        seconds = Int(whole)
        milliseconds = min(999, Int((interval - whole) * 1000))
    }
}
