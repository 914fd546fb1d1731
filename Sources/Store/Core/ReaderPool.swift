import Support
/// A fixed set of read-only connections. WAL lets readers run beside the writer, each
/// on the snapshot of the last COMMIT at the time its statement starts.
final class ReaderPool: @unchecked Sendable {
    private struct State {
        var free: [Int]
        var waiters: [CheckedContinuation<Int?, Never>] = []
        var closed = false
    }

    private let connections: [Connection]   // a connection is used only by its holder
    private let state: Locked<State>

    init(connections: [Connection]) {
        self.connections = connections
        state = Locked(State(free: Array(connections.indices)))
    }

    /// Waits for a free connection; nil once the pool is closed.
    func acquire() async -> Int? {
        enum Grab { case got(Int), closed, wait }
        let grab: Grab = state.withLock { state in
            if state.closed { return .closed }
            if let index = state.free.popLast() { return .got(index) }
            return .wait
        }
        switch grab {
        case .got(let index): return index
        case .closed: return nil
        case .wait: break
        }
        return await withCheckedContinuation { continuation in
            let immediate: Int?? = state.withLock { state in
                if state.closed { return .some(nil) }
                if let index = state.free.popLast() { return .some(index) }
                state.waiters.append(continuation)
                return .none
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    func connection(_ index: Int) -> Connection { connections[index] }

    /// Hands the connection to the next waiter, or back to the pool.
    func release(_ index: Int) {
        connections[index].resetStatements()
        enum Next { case pooled, closed, handOver(CheckedContinuation<Int?, Never>) }
        let next: Next = state.withLock { state in
            if state.closed { return .closed }
            if state.waiters.isEmpty {
                state.free.append(index)
                return .pooled
            }
            return .handOver(state.waiters.removeFirst())
        }
        switch next {
        case .pooled: break
        case .closed: connections[index].close()
        case .handOver(let waiter): waiter.resume(returning: index)
        }
    }

    /// Wakes waiters with nil and closes idle connections; busy ones close on release.
    func close() {
        let (waiters, idle) = state.withLock { state in
            state.closed = true
            defer {
                state.waiters.removeAll()
                state.free.removeAll()
            }
            return (state.waiters, state.free)
        }
        waiters.forEach { $0.resume(returning: nil) }
        idle.forEach { connections[$0].close() }
    }
}
