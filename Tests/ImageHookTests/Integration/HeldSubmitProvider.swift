import EvoLink
import Foundation
@testable import ImageHook
import Support

/// Holds every submit before it reaches the provider until the test calls `release()`,
/// so an Idempotency-Key stays in flight for exactly as long as the test needs: no
/// sleep whose length a loaded machine can outrun. Waiting suspends the task (it never
/// blocks a thread of the cooperative pool) and is bounded by `holdTimeout`.
final class HeldSubmitProvider: ProviderAPI, @unchecked Sendable {
    /// Safety bound so a failing test cannot hold a submit forever.
    static let holdTimeout: Duration = .seconds(60)

    private struct State {
        var released = false
        var started = 0
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var expired: Set<Int> = []
    }

    let inner: any ProviderAPI
    private let state = Locked(State())

    init(inner: any ProviderAPI) { self.inner = inner }

    /// Submits that have reached the provider stub (held or not).
    var submitsStarted: Int { state.withLock { $0.started } }

    /// Lets every held submit, and every later one, through.
    func release() {
        let waiters = state.withLock { state in
            state.released = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    func submit(_ request: GenerationRequest, idempotencyKey: String) async throws(EvoLinkError) -> (TaskDetail, raw: [UInt8]) {
        await hold()
        return try await inner.submit(request, idempotencyKey: idempotencyKey)
    }

    func task(id: String) async throws(EvoLinkError) -> (TaskDetail, raw: [UInt8]) { try await inner.task(id: id) }

    private func hold() async {
        let id = state.withLock { state in
            state.started += 1
            state.nextID += 1
            return state.nextID
        }
        let timeout = Task { [weak self] in
            try? await Task.sleep(for: Self.holdTimeout)
            self?.expire(id)
        }
        defer { timeout.cancel() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let passNow = state.withLock { state in
                if state.released || state.expired.contains(id) { return true }
                state.waiters[id] = continuation
                return false
            }
            if passNow { continuation.resume() }
        }
    }

    /// The hold timed out: resume that one waiter (or let it pass if not parked yet).
    private func expire(_ id: Int) {
        let waiter = state.withLock { state in
            state.expired.insert(id)
            return state.waiters.removeValue(forKey: id)
        }
        waiter?.resume()
    }
}
