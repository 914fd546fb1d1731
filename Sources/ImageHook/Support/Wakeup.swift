import Support
/// Wakes background loops early (new work was queued) or lets them sleep until a
/// deadline. A signal wakes every waiter (several download workers share one); a
/// signal sent while nobody waits is remembered once.
final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextID = 0
    }
    private let state = Locked(State())

    func signal() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            if s.waiters.isEmpty { s.pending = true; return [] }
            defer { s.waiters.removeAll() }
            return Array(s.waiters.values)
        }
        for w in waiters { w.resume() }
    }

    /// Returns at the next signal or after `seconds`, whichever comes first.
    func wait(seconds: Double) async {
        let id: Int? = state.withLock { s in
            if s.pending { s.pending = false; return nil }
            s.nextID += 1
            return s.nextID
        }
        guard let id else { return }
        let timer = Task { [weak self] in
            try? await Task.sleep(nanoseconds: UInt64(max(0.001, seconds) * 1e9))
            self?.fire(id)
        }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { s -> Bool in
                if s.pending { s.pending = false; return true }
                s.waiters[id] = c
                return false
            }
            if resumeNow { c.resume() }
        }
        timer.cancel()
    }

    private func fire(_ id: Int) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
        waiter?.resume()
    }
}
