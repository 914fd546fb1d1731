import Foundation

/// Runs blocking or CPU-heavy work (process waits, openssl, file verification, trace
/// parsing) on a thread of its own. Not on Swift concurrency's cooperative pool, and not
/// on `DispatchQueue.global()` either: on Linux both are only as wide as the core count
/// (two on CI) and every suite of the test process shares them, so a parked wait there
/// starves parallel tests' timers (the killer's schedule) and other targets' deadlines.
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
