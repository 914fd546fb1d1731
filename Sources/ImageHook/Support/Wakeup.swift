import Support
/// Wakes background loops early (new work was queued) or lets them sleep until a
/// deadline. A signal wakes as many waiters as there is new work for, longest waiting
/// first (several download workers share one: waking all of them for one job only
/// sends them racing to claim it); a signal sent while nobody waits is remembered once.
final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextID = 0
    }
    private let state = Locked(State())

    /// Wakes up to `limit` waiters (all by default).
    func signal(waking limit: Int = .max) {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            if s.waiters.isEmpty { s.pending = true; return [] }
            let chosen = s.waiters.keys.sorted().prefix(max(1, limit))
            return chosen.compactMap { s.waiters.removeValue(forKey: $0) }
        }
        for w in waiters { w.resume() }
    }

    /// Loops parked in `wait` right now (tests).
    var waiterCount: Int { state.withLock { $0.waiters.count } }

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
