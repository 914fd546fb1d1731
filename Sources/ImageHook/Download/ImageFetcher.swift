import HTTPClient

/// The head of an image response; the body went to the sink.
public struct FetchedImageHead: Sendable, Hashable {
    public var status: Int
    public var contentType: String?
    public var contentLength: Int?

    public init(status: Int, contentType: String?, contentLength: Int?) {
        self.status = status
        self.contentType = contentType
        self.contentLength = contentLength
    }
}

/// Streams one image URL into a sink. Network failures come back classified.
public protocol ImageFetcher: Sendable {
    func fetch(url: String, into sink: any HTTPBodySink & Sendable) async throws(DownloadFailure) -> FetchedImageHead
}
