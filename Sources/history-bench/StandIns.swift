import EvoLink
import HTTP1
import HTTPClient
import ImageHook

/// Peers the benchmarks never reach: the service is driven only through its callback
/// listener and its ledger route.
struct NoProvider: ProviderAPI {
    func submit(_ request: GenerationRequest, idempotencyKey: String) async throws(EvoLinkError) -> (TaskDetail, raw: [UInt8]) {
        throw .network(.connect("benchmark has no provider"), ambiguous: false)
    }

    func task(id: String) async throws(EvoLinkError) -> (TaskDetail, raw: [UInt8]) {
        throw .network(.connect("benchmark has no provider"), ambiguous: false)
    }
}

struct NoFetcher: ImageFetcher {
    func fetch(url: String, into sink: any HTTPBodySink & Sendable) async throws(DownloadFailure) -> FetchedImageHead {
        throw .permanent("benchmark fetches nothing")
    }
}

struct NoRelay: RelaySender {
    func post(url: String, headers: HTTPHeaders, body: [UInt8]) async -> RelayAttemptResult {
        RelayAttemptResult(status: 200, error: nil)
    }
}
