import Foundation

/// Runs blocking work (waiting for a child process, blocking socket I/O) on a thread of
/// its own. Swift's cooperative pool is as wide as the cores (2 here), and the service
/// under test needs it to answer; a blocked pool thread would distort every figure.
enum OffPool {
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}
