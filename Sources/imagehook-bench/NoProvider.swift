import EvoLink
import ImageHook

/// The benchmarks seed their tasks straight into the store, so nothing is ever
/// submitted or polled; a call here would be a bug in the set-up.
struct NoProvider: ProviderAPI {
    func submit(_ request: GenerationRequest, idempotencyKey: String) async throws(EvoLinkError) -> (TaskDetail, raw: [UInt8]) {
        throw .network(.connect("benchmark has no provider"), ambiguous: false)
    }

    func task(id: String) async throws(EvoLinkError) -> (TaskDetail, raw: [UInt8]) {
        throw .network(.connect("benchmark has no provider"), ambiguous: false)
    }
}
