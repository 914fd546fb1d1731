import EvoLink
import Foundation
import Support
@testable import ImageHook

/// Decides per submit (by key and how many times that key was sent) what the provider
/// does: answer for real, fail ambiguously, or hang until the calling task is
/// cancelled (bounded by `hangLimit`). Polls always go through.
final class ScriptedSubmitProvider: ProviderAPI, @unchecked Sendable {
    enum Behaviour: Sendable { case pass, ambiguous, hang }
    static let hangLimit: Duration = .seconds(60)

    let inner: any ProviderAPI
    let script: @Sendable (_ key: String, _ attempt: Int) -> Behaviour
    private let sent = Locked<[String: Int]>([:])

    init(inner: any ProviderAPI, script: @escaping @Sendable (_ key: String, _ attempt: Int) -> Behaviour) {
        self.inner = inner
        self.script = script
    }

    func calls(_ key: String) -> Int { sent.withLock { $0[key] ?? 0 } }

    func submit(_ request: GenerationRequest, idempotencyKey: String) async throws(EvoLinkError) -> (TaskDetail, raw: [UInt8]) {
        let attempt = sent.withLock { s in s[idempotencyKey, default: 0] += 1; return s[idempotencyKey]! }
        switch script(idempotencyKey, attempt) {
        case .pass:
            return try await inner.submit(request, idempotencyKey: idempotencyKey)
        case .ambiguous:
            throw .network(.timeout(phase: "firstByte"), ambiguous: true)
        case .hang:
            try? await Task.sleep(for: Self.hangLimit)  // ends early when the caller is cancelled
            throw .network(.timeout(phase: "firstByte"), ambiguous: true)
        }
    }

    func task(id: String) async throws(EvoLinkError) -> (TaskDetail, raw: [UInt8]) { try await inner.task(id: id) }
}
