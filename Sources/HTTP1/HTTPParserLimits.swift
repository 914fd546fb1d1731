/// Size limits the parser enforces while reading, so that no declared or streamed size
/// makes it allocate more than these bounds.
public struct HTTPParserLimits: Sendable, Hashable {
    /// Longest request line (or status line) accepted; longer -> 414 for requests.
    public var maxStartLineBytes: Int = 8 * 1024
    /// Whole header section, excluding the start line; larger -> 431.
    public var maxHeaderBytes: Int = 64 * 1024
    /// Number of header fields; more -> 431.
    public var maxHeaderCount: Int = 100
    /// Body size; a larger Content-Length or chunked total -> 413. Adjustable per
    /// message with `setBodyLimit` after the head is returned.
    public var maxBodyBytes: Int = 1024 * 1024
    /// Bytes of chunk extensions on a single chunk-size line.
    public var maxChunkExtensionBytes: Int = 1024
    /// Trailer section after the last chunk.
    public var maxTrailerBytes: Int = 8 * 1024

    public init() {}
}
