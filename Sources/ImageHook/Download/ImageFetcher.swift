import HTTPClient

/// The head of an image response; the body went to the sink.
public struct FetchedImageHead: Sendable, Hashable {
    public var status: Int
    public var contentType: String?
    public var contentLength: Int?
    /// The body ended by a close the peer did not confirm (TLS without close_notify on
    /// a close-delimited body): only verification can prove it whole.
    public var endUnconfirmed: Bool

    public init(status: Int, contentType: String?, contentLength: Int?, endUnconfirmed: Bool = false) {
        self.status = status
        self.contentType = contentType
        self.contentLength = contentLength
        self.endUnconfirmed = endUnconfirmed
    }
}

/// Streams one image URL into a sink. Network failures come back classified.
public protocol ImageFetcher: Sendable {
    func fetch(url: String, into sink: any HTTPBodySink & Sendable) async throws(DownloadFailure) -> FetchedImageHead
}
