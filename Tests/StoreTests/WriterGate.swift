import Dispatch
@testable import Store
import Support

/// Holds the writer thread inside a body until released, so later writes queue up and
/// are forced into one batch. Waiting on the test side polls instead of blocking: the
/// cooperative pool may have only two threads, and a blocked one could starve the task
/// that is supposed to enter the gate.
///
/// The gate's own safety timeout is far longer than any wait on the test side. It used
/// to be shorter than a stalled whole-suite run could take to line a batch up, so the
/// gate opened by itself, the batch it was forming committed in pieces, and the test
/// failed on counts it had not caused; `timedOut` now reports that case instead.
final class WriterGate: @unchecked Sendable {
    /// Bounds `hold()` so a failed test cannot wedge the writer forever.
    static let holdTimeoutSeconds = 120
    private let entered = DispatchSemaphore(value: 0)
    private let opened = DispatchSemaphore(value: 0)
    private let timeoutFlag = Locked(false)

    /// Called inside the write body (on the writer thread, never on the task pool).
    func hold() {
        entered.signal()
        if opened.wait(timeout: .now() + .seconds(Self.holdTimeoutSeconds)) == .timedOut {
            timeoutFlag.withLock { $0 = true }
        }
    }

    func open() { opened.signal() }

    /// True when `hold()` gave up waiting for `open()`.
    var timedOut: Bool { timeoutFlag.withLock { $0 } }

    /// Starts a write that inserts an `item` named `name` and then holds the writer in
    /// this gate, so the writes queued after it form one batch; wait for
    /// `waitUntilEntered()` before queueing them, then `open()`.
    func holdWriter(of db: Database, inserting name: String) -> Task<Void, any Error> {
        Task {
            try await db.write { txn in
                self.hold()
                try txn.execute("INSERT INTO item(name) VALUES ('\(name)')")
            }
        }
    }

    /// True once the body is inside the gate (bounded by `eventuallyTimeout`).
    func waitUntilEntered() async throws -> Bool {
        try await eventually { self.entered.wait(timeout: .now()) == .success }
    }
}

/// How long `eventually` polls; measured on the clock, not in iterations, so a stalled
/// poller gets the same real time as an idle one.
let eventuallyTimeout: Duration = .seconds(30)

/// Polls `condition` until it holds or `eventuallyTimeout` passes, sleeping (never
/// blocking) between tries.
func eventually(_ condition: () -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + eventuallyTimeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try await Task.sleep(for: .milliseconds(1))
    }
    return condition()
}
