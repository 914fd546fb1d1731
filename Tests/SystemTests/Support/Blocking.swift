import Dispatch

/// Runs blocking or CPU-heavy work (process waits, openssl, file verification, trace
/// parsing) on a Dispatch thread instead of Swift concurrency's small cooperative pool,
/// so parallel tests' timers (the killer's schedule) are not starved by it.
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
