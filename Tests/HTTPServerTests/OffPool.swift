import Dispatch
import Foundation

/// Runs blocking work (raw-socket reads, semaphore waits) on a thread of its own and
/// awaits it. Swift's cooperative pool is only as wide as the core count (two on CI) and
/// every suite of every target in the test process shares it: a test parked in `recv`,
/// `usleep` or `DispatchSemaphore.wait` there stalls every other test's timers and
/// deadlines. Expectations stay in the test's task (issues recorded on a bare thread are
/// not attributed to the test), so the work returns values to check.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
        Thread { c.resume(with: Result { try work() }) }.start()
    }
}

/// Whether `semaphore` is signalled within `seconds`, waited for off the pool.
func signalled(_ semaphore: DispatchSemaphore, within seconds: Double) async -> Bool {
    (try? await offPool { semaphore.wait(timeout: .now() + seconds) == .success }) ?? false
}
