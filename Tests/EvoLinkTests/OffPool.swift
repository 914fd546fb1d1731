import Foundation

/// Runs blocking work (child processes, polling loops) on a thread of its own and awaits
/// it. Swift's cooperative pool is only as wide as the core count (two on CI) and every
/// suite of the test process shares it: one test parked in `usleep` or `waitUntilExit`
/// there stalls every other test's timers, and timing assertions elsewhere fail.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
        Thread { c.resume(with: Result { try work() }) }.start()
    }
}
