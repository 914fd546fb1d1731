import Dispatch

/// Holds the writer thread inside a body until released, so later writes queue up and
/// are forced into one batch. Waiting on the test side polls instead of blocking: the
/// cooperative pool may have only two threads, and a blocked one could starve the task
/// that is supposed to enter the gate.
final class WriterGate: @unchecked Sendable {
    private let entered = DispatchSemaphore(value: 0)
    private let opened = DispatchSemaphore(value: 0)

    /// Called inside the write body (on the writer thread).
    func hold() {
        entered.signal()
        _ = opened.wait(timeout: .now() + 10)
    }

    func open() { opened.signal() }

    /// True once the body is inside the gate (bounded to about 5 s).
    func waitUntilEntered() async throws -> Bool {
        for _ in 0..<5_000 {
            if entered.wait(timeout: .now()) == .success { return true }
            try await Task.sleep(nanoseconds: 1_000_000)
        }
        return false
    }
}

/// Polls `condition` for up to about 5 s.
func eventually(_ condition: () -> Bool) async throws -> Bool {
    for _ in 0..<5_000 {
        if condition() { return true }
        try await Task.sleep(nanoseconds: 1_000_000)
    }
    return condition()
}
