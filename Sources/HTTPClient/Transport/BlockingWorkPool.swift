import Dispatch
import Support

/// At most `maxThreads` threads run blocking jobs (socket exchanges, getaddrinfo); up to
/// `maxQueued` more wait in FIFO order and anything beyond is refused at once. Bounds the
/// threads slow or silent peers can pin: one thread per request or lookup would grow
/// without limit. Threads start on demand and end after `idleExit` seconds without work.
final class BlockingWorkPool: Sendable {
    private struct State {
        var queue: [@Sendable () -> Void] = []
        var head = 0          // dequeue index: O(1) pops, compacted now and then
        var threads = 0
        var waiting = 0       // workers blocked on `wake`
        var wakeups = 0       // signals sent and not yet taken
        var running = 0       // jobs being executed
        var queued: Int { queue.count - head }
    }

    let name: String
    let maxThreads: Int
    let maxQueued: Int
    let idleExit: Double
    private let state = Locked(State())
    private let wake = DispatchSemaphore(value: 0)

    init(name: String, maxThreads: Int, maxQueued: Int, idleExit: Double = 10) {
        self.name = name
        self.maxThreads = max(1, maxThreads)
        self.maxQueued = max(0, maxQueued)
        self.idleExit = idleExit
    }

    /// Queues `job`; false when the queue is full (the caller refuses clearly).
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        enum Start { case none, signal, thread }
        let start: Start? = state.withLock { s in
            // Room for maxThreads running and maxQueued waiting, no more.
            if s.running + s.queued >= maxThreads + maxQueued { return nil }
            s.queue.append(job)
            if s.waiting > s.wakeups { s.wakeups += 1; return .signal }
            if s.threads < maxThreads { s.threads += 1; return .thread }
            return Start.none
        }
        switch start {
        case nil: return false
        case .signal?: wake.signal()
        case .thread?:
            // A serial queue per worker is one overcommit thread while it runs the loop.
            DispatchQueue(label: "imagehook.httpclient.\(name)").async { [self] in workerLoop() }
        case .none?: break
        }
        return true
    }

    /// Threads currently alive (tests, metrics).
    var threadCount: Int { state.withLock { $0.threads } }

    private func pop(_ s: inout State) -> (@Sendable () -> Void)? {
        guard s.head < s.queue.count else { return nil }
        let job = s.queue[s.head]
        s.head += 1
        s.running += 1
        if s.head > 64 && s.head * 2 > s.queue.count {
            s.queue.removeFirst(s.head)
            s.head = 0
        }
        return job
    }

    private func workerLoop() {
        while true {
            let job: (@Sendable () -> Void)? = state.withLock { s in
                if let job = pop(&s) { return job }
                s.waiting += 1
                return nil
            }
            if let job {
                job()
                state.withLock { $0.running -= 1 }
                continue
            }
            while true {
                if wake.wait(timeout: .now() + idleExit) == .success {
                    state.withLock { s in s.waiting -= 1; s.wakeups -= 1 }
                    break
                }
                // Idle for idleExit: leave, unless every remaining waiter is needed for a
                // signal already sent (then one of them must be this thread).
                let leave = state.withLock { s -> Bool in
                    guard s.head >= s.queue.count, s.wakeups < s.waiting else { return false }
                    s.waiting -= 1
                    s.threads -= 1
                    return true
                }
                if leave { return }
            }
        }
    }
}
