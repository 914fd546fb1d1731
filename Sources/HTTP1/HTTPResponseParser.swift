/// Incremental, strict HTTP/1.1 response parser (RFC 9112) for a client. Same field
/// rules and limits as the request parser; errors are `.badResponse`, `.truncated`,
/// `.headerFieldsTooLarge` or `.payloadTooLarge` (body over `limits.maxBodyBytes` or
/// `setBodyLimit`). 1xx interim responses other than 101 are consumed silently.
public struct HTTPResponseParser: Sendable {
    private var core: HTTPMessageParser

    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        core = HTTPMessageParser(kind: .response, limits: limits)
    }

    /// Method of the request this next response answers: HEAD -> no body; CONNECT 2xx
    /// -> no body. Applies to the next final response only; set it for each request.
    public mutating func setRequestMethod(_ method: String) {
        core.requestMethod = method
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        core.append(contentsOf: bytes)
    }

    public mutating func append<C: Collection>(contentsOf bytes: C) where C.Element == UInt8 {
        core.append(contentsOf: bytes)
    }

    public mutating func next() throws(HTTPParseError) -> HTTPResponseEvent? {
        Self.convert(try core.next())
    }

    /// The peer closed. Ends an until-close body (.end); throws .truncated when a
    /// Content-Length or chunked body (or a head) is incomplete; nil when the close
    /// came between messages. Buffered events still come out first, so call it (or
    /// `next()`) until it returns nil.
    public mutating func finish() throws(HTTPParseError) -> HTTPResponseEvent? {
        Self.convert(try core.finish())
    }

    /// Body limit for the response whose .head was just returned; like the request
    /// parser's. Reset to `limits.maxBodyBytes` for each response.
    public mutating func setBodyLimit(_ bytes: Int) {
        core.bodyLimit = max(0, bytes)
    }

    public var hasBufferedBytes: Bool { core.hasBufferedBytes }

    /// True before the first byte of a response (after .end, or initially).
    public var isAtMessageBoundary: Bool { core.isAtMessageBoundary }

    private static func convert(_ event: HTTPMessageParser.Event?) -> HTTPResponseEvent? {
        switch event {
        case nil: nil
        case .responseHead(let head): .head(head)
        case .requestHead: nil // not produced for responses
        case .body(let bytes): .body(bytes)
        case .end: .end
        }
    }
}
