import HTTPClient

/// The one call the provider client needs from an HTTP client. `HTTPClient` conforms;
/// tests may substitute a scripted transport to exercise the status mapping alone.
public protocol EvoLinkTransport: Sendable {
    func execute(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse
}
