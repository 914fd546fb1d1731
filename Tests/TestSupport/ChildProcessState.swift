import Foundation

/// What is known about one child: captured output so far, which streams have reached
/// end-of-file, and the exit. Filled by the reader and reaper threads; waiters block on
/// the condition with a deadline, woken by every change.
final class ChildProcessState: @unchecked Sendable {  // all fields only under `condition`
    struct Snapshot {
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var openStreams = 0
        var exit: ChildProcess.Exit?
        var settled: Bool { exit != nil && openStreams == 0 }
    }

    private let condition = NSCondition()
    private var snapshot = Snapshot()

    func update(_ body: (inout Snapshot) -> Void) {
        condition.lock()
        body(&snapshot)
        condition.broadcast()
        condition.unlock()
    }

    func read<R>(_ body: (Snapshot) -> R) -> R {
        condition.lock()
        defer { condition.unlock() }
        return body(snapshot)
    }

    /// Blocking: the first non-nil answer of `check`, or nil once `deadline` passes.
    func wait<R>(until deadline: Date, _ check: (Snapshot) -> R?) -> R? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let answer = check(snapshot) { return answer }
            guard Date() < deadline, condition.wait(until: deadline) || Date() < deadline else {
                return check(snapshot)
            }
        }
    }
}
