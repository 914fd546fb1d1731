import HTTPClient
import ImageHook

/// For the callback benchmark: its callbacks carry no results, so nothing is fetched.
struct NoFetcher: ImageFetcher {
    func fetch(url: String, into sink: any HTTPBodySink & Sendable) async throws(DownloadFailure) -> FetchedImageHead {
        throw .permanent("benchmark fetches nothing")
    }
}
