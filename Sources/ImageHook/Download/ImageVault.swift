import HTTPClient

/// A verified image committed to disk.
public struct SavedImage: Sendable, Hashable {
    public var sha256: String
    public var ext: String
    public var bytes: Int
    /// Absolute path of `images/<sha[0:2]>/<sha>.<ext>`.
    public var path: String

    public init(sha256: String, ext: String, bytes: Int, path: String) {
        self.sha256 = sha256
        self.ext = ext
        self.bytes = bytes
        self.path = path
    }
}

/// One download in progress: a temp file hashed while written; `finish` verifies and
/// commits it (fsync, rename, fsync dir), `discard` removes it. Never partial on disk
/// under its final name.
public protocol ImageUpload: HTTPBodySink, Sendable {
    var bytesWritten: Int { get }
    func finish(contentType: String?, expectedWidth: Int?, expectedHeight: Int?) throws(DownloadFailure) -> SavedImage
    func discard()
}

/// Where verified images live; `ImageStoreVault` is the real one.
public protocol ImageVault: Sendable {
    func begin() throws(DownloadFailure) -> any ImageUpload
    /// Path of a stored file, for serving; nil for a malformed name.
    func path(sha256: String, ext: String) -> String?
}
