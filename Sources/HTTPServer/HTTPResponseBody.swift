/// What follows a response head. `.file` is streamed from disk in chunks (sendfile), so
/// large images are never loaded into memory whole.
public enum HTTPResponseBody: Sendable, Equatable {
    case empty
    case bytes([UInt8])
    /// `length` bytes of the file at `path` starting at `offset`; the file must hold
    /// them when the response is written, otherwise the server answers 500 instead.
    case file(path: String, offset: Int, length: Int)
    /// `length` bytes from `offset` of a file the handler opened off the event loop
    /// (see `HTTPOpenedFile`); preferred for anything on a disk that may be slow.
    case opened(HTTPOpenedFile, offset: Int, length: Int)

    /// The value of the `Content-Length` the server sends for this body.
    public var length: Int {
        switch self {
        case .empty: 0
        case .bytes(let bytes): bytes.count
        case .file(_, _, let length): length
        case .opened(_, _, let length): length
        }
    }
}
