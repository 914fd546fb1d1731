import Foundation
import Support
import Testing
@testable import ImageHook

/// Targeted wake-ups: one job wakes one worker, not the whole pool.
@Suite struct WakeupTests {
    final class Woken: Sendable {
        let count = Locked(0)
    }

    func parked(_ wakeup: Wakeup, _ n: Int, deadline: Date) async throws -> Bool {
        while Date() < deadline {
            if wakeup.waiterCount == n { return true }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        return false
    }

    @Test func signalWakesOnlyAsManyWaitersAsItNames() async throws {
        let wakeup = Wakeup()
        let woken = Woken()
        let waiters = (0..<3).map { _ in
            Task {
                await wakeup.wait(seconds: 60)
                woken.count.withLock { $0 += 1 }
            }
        }
        let deadline = Date().addingTimeInterval(10)
        #expect(try await parked(wakeup, 3, deadline: deadline))
        wakeup.signal(waking: 1)
        #expect(try await parked(wakeup, 2, deadline: deadline))
        wakeup.signal(waking: 2)
        for w in waiters { await w.value }
        #expect(woken.count.withLock { $0 } == 3)
        #expect(wakeup.waiterCount == 0)
    }
}
