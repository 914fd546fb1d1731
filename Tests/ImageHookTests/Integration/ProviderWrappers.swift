import EvoLink
import Foundation
import HTTPClient
@testable import ImageHook
import Support

/// Sends the first `count` submits for real, then pretends the answer was lost (an
/// ambiguous network failure after sending).
final class LosingAnswerProvider: ProviderAPI, @unchecked Sendable {
    let inner: any ProviderAPI
    let remaining: Locked<Int>
    init(inner: any ProviderAPI, count: Int) {
        self.inner = inner
        remaining = Locked(count)
    }
    func submit(_ request: GenerationRequest, idempotencyKey: String) async throws(EvoLinkError) -> (TaskDetail, raw: [UInt8]) {
        let answer = try await inner.submit(request, idempotencyKey: idempotencyKey)
        if remaining.withLock({ r in defer { r -= 1 }; return r > 0 }) {
            throw .network(.timeout(phase: "firstByte"), ambiguous: true)
        }
        return answer
    }
    func task(id: String) async throws(EvoLinkError) -> (TaskDetail, raw: [UInt8]) { try await inner.task(id: id) }
}
