import Foundation

/// Runs blocking work (fsync-heavy commits, a child process) on a thread of its own and
/// awaits it. Swift's cooperative pool is only as wide as the core count (two on CI) and
/// every suite of every target in the test process shares it; a test parked there in a
/// syscall or a process wait stalls the others' timers and deadlines. Expectations stay
/// in the test's task, so the work returns values to check.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
        Thread { c.resume(with: Result { try work() }) }.start()
    }
}
