import Dispatch

/// Runs blocking work (raw-socket reads, semaphore waits, child-process waits) on an OS
/// thread of its own and awaits it. Swift's cooperative pool is only as wide as the core
/// count (two on CI) and every suite of every target in the test process shares it: a
/// test parked in `recv`, `usleep` or `DispatchSemaphore.wait` there stalls every other
/// test's timers and deadlines. Expectations stay in the test's task (issues recorded on
/// a bare thread are not attributed to the test), so the work returns values to check.
public func offPool<T: Sendable, E: Error>(_ work: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
    let result: Result<T, E> = await withCheckedContinuation { continuation in
        OSThread.start {
            do throws(E) { continuation.resume(returning: .success(try work())) } catch {
                continuation.resume(returning: .failure(error))
            }
        }
    }
    return try result.get()
}

/// Whether `semaphore` is signalled within `seconds`, waited for off the pool.
public func signalled(_ semaphore: DispatchSemaphore, within seconds: Double) async -> Bool {
    await offPool { semaphore.wait(timeout: .now() + seconds) == .success }
}
