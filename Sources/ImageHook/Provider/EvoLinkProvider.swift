import EvoLink

/// `ProviderAPI` over the real `EvoLinkClient`.
public struct EvoLinkProvider: ProviderAPI {
    public let client: EvoLinkClient

    public init(client: EvoLinkClient) { self.client = client }

    public func submit(_ request: GenerationRequest, idempotencyKey: String) async throws(EvoLinkError) -> (TaskDetail, raw: [UInt8]) {
        try await client.submit(request, idempotencyKey: idempotencyKey)
    }

    public func task(id: String) async throws(EvoLinkError) -> (TaskDetail, raw: [UInt8]) {
        try await client.task(id: id)
    }
}
