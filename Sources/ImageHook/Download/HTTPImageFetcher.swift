import HTTP1
import HTTPClient

/// `ImageFetcher` over `HTTPClient` (address policy, deadlines and size cap come from
/// the client's configuration, e.g. `HTTPClientConfiguration.imageDownload()`).
public struct HTTPImageFetcher: ImageFetcher {
    public let client: HTTPClient

    public init(client: HTTPClient) { self.client = client }

    public func fetch(url: String, into sink: any HTTPBodySink & Sendable) async throws(DownloadFailure) -> FetchedImageHead {
        let response: HTTPClientResponse
        do {
            response = try await client.execute(HTTPClientRequest(method: "GET", url: url), sink: sink)
        } catch {
            throw Self.classify(error)
        }
        return FetchedImageHead(status: response.status, contentType: response.headers["Content-Type"],
                                contentLength: response.headers["Content-Length"].flatMap { Int($0) },
                                endUnconfirmed: response.endUnconfirmed)
    }

    static func classify(_ error: HTTPClientError) -> DownloadFailure {
        switch error {
        case .truncated: .truncated
        case .tooLarge: .tooLarge
        case .refusedByPolicy(let why): .permanent("refused by address policy: \(why)")
        case .sink(let why): .local(why)
        case .cancelled: .transport("cancelled by shutdown")
        default: error.isRetryable ? .transport(error.description) : .permanent(error.description)
        }
    }
}
