/// Incremental, strict HTTP/1.1 request parser (RFC 9112) for a server. Feed it bytes
/// as they arrive, in any split, and call `next()` until it returns nil. A violation
/// throws an `HTTPParseError` whose `status` is the answer to send before closing;
/// after a throw the parser is dead and keeps throwing the same error.
///
/// Pipelining: bytes after a message stay buffered for the next one.
public struct HTTPRequestParser: Sendable {
    private var core: HTTPMessageParser

    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        core = HTTPMessageParser(kind: .request, limits: limits)
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        core.append(contentsOf: bytes)
    }

    public mutating func append<C: Collection>(contentsOf bytes: C) where C.Element == UInt8 {
        core.append(contentsOf: bytes)
    }

    /// Next event, or nil when more bytes are needed. After a throw the parser is dead.
    public mutating func next() throws(HTTPParseError) -> HTTPRequestEvent? {
        switch try core.next() {
        case nil: nil
        case .requestHead(let head): .head(head)
        case .responseHead: nil // not produced for requests
        case .body(let bytes): .body(bytes)
        case .end: .end
        }
    }

    /// Body limit for the message whose .head was just returned (per-route limits).
    /// A Content-Length above it throws .payloadTooLarge on the next next(); a chunked
    /// body throws as soon as its running total passes it. Reset to
    /// `limits.maxBodyBytes` for each message.
    public mutating func setBodyLimit(_ bytes: Int) {
        core.bodyLimit = max(0, bytes)
    }

    /// The method of the message being parsed, once its request line is read and until
    /// its end; also after a throw, when the request line was read. A server answering
    /// an error to a HEAD request must send no content (RFC 9110 §9.3.2), even when the
    /// error came before the head was complete.
    public var pendingMethod: String? { core.method.isEmpty ? nil : core.method }

    /// Bytes received and not yet consumed (part of the current or a pipelined message).
    public var hasBufferedBytes: Bool { core.hasBufferedBytes }

    /// True before the first byte of a message (after .end, or initially): nothing of
    /// the next message has been consumed yet. Bytes of it may already be buffered
    /// (see `hasBufferedBytes`); a connection is idle when this is true and
    /// `hasBufferedBytes` is false.
    public var isAtMessageBoundary: Bool { core.isAtMessageBoundary }
}
