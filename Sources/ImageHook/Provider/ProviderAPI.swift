import EvoLink

/// The two provider calls the service makes; `EvoLinkProvider` is the real one, tests
/// may script failures.
public protocol ProviderAPI: Sendable {
    func submit(_ request: GenerationRequest, idempotencyKey: String) async throws(EvoLinkError) -> (TaskDetail, raw: [UInt8])
    func task(id: String) async throws(EvoLinkError) -> (TaskDetail, raw: [UInt8])
}
