import HTTP1
import ImageHook

/// Seeded submissions have no relay URL; any relay attempt succeeds without a peer.
struct NoRelay: RelaySender {
    func post(url: String, headers: HTTPHeaders, body: [UInt8]) async -> RelayAttemptResult {
        RelayAttemptResult(status: 200, error: nil)
    }
}
