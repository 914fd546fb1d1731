import HTTP1
import HTTPClient

/// `RelaySender` over `HTTPClient`. Submitters are internal services, so the daemon
/// configures this client with the networks they live on (and plain HTTP if wanted).
public struct HTTPRelaySender: RelaySender {
    public let client: HTTPClient

    public init(client: HTTPClient) { self.client = client }

    public func post(url: String, headers: HTTPHeaders, body: [UInt8]) async -> RelayAttemptResult {
        do {
            let response = try await client.execute(HTTPClientRequest(method: "POST", url: url, headers: headers, body: body))
            return RelayAttemptResult(status: response.status, error: nil)
        } catch {
            return RelayAttemptResult(status: nil, error: error.description)
        }
    }
}
