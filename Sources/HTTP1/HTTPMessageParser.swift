/// The incremental HTTP/1.1 message parser shared by `HTTPRequestParser` and
/// `HTTPResponseParser` (RFC 9112). Bytes are appended as they arrive, however they are
/// split; `next()` turns them into events. Every byte is examined once: the line scanner
/// remembers how far it got (`scanOffset`), and consumed bytes are only moved when at
/// least half the buffer is consumed, so the total work stays linear in the input.
struct HTTPMessageParser: Sendable {
    enum Kind: Sendable { case request, response }

    enum Event: Sendable {
        case requestHead(HTTPRequestHead)
        case responseHead(HTTPResponseHead)
        case body([UInt8])
        case end
    }

    enum State: Sendable, Equatable {
        case startLine
        case fieldLines
        /// The head was returned; the next call decides the body (and checks its limit).
        case headReturned
        case fixedBody(remaining: Int)
        case untilCloseBody
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case failed(HTTPParseError)
    }

    let kind: Kind
    let limits: HTTPParserLimits

    var buffer: [UInt8] = []
    /// First unconsumed byte of `buffer`.
    var readIndex = 0
    /// Bytes after `readIndex` already scanned for a line terminator, so a line that
    /// arrives byte by byte is not rescanned from its start each time.
    var scanOffset = 0
    var state: State = .startLine
    /// The peer closed (responses only, via `finish()`).
    var eof = false

    // The head under construction.
    var method = ""
    var target = ""
    var version = HTTPVersion.http1_1
    var status = 0
    var reason = ""
    var headers = HTTPHeaders()
    var framing = HTTPBodyFraming.none
    /// RFC 9112 §2.2: one empty line before a request line is tolerated, not more.
    var skippedEmptyLine = false
    /// Bytes of the header (or trailer) section so far, counted against its limit.
    var sectionBytes = 0
    var fieldCount = 0
    // Framing fields, noted while their bytes are at hand (RFC 9112 §3.2, §6).
    var hostCount = 0
    var contentLength: Int?
    var hasTransferEncoding = false

    // The body of the current message.
    var bodyLimit: Int
    var bodyBytesSoFar = 0

    /// Responses: the method of the request being answered (RFC 9112 §6.3 rules 1, 2).
    var requestMethod: String?
    /// Responses: a 1xx was skipped, so a close now cuts the exchange short.
    var sawInterimResponse = false

    init(kind: Kind, limits: HTTPParserLimits) {
        self.kind = kind
        self.limits = limits
        self.bodyLimit = limits.maxBodyBytes
        headers.reserveCapacity(Self.typicalFieldCount)
    }

    var hasBufferedBytes: Bool { readIndex < buffer.count }

    var isAtMessageBoundary: Bool { state == .startLine && !skippedEmptyLine && !sawInterimResponse }

    // MARK: Input

    mutating func append<C: Collection>(contentsOf bytes: C) where C.Element == UInt8 {
        if readIndex == buffer.count {
            // Everything was consumed: start over without moving anything. A buffer that
            // grew large (a big body arriving in one read) is released so that idle
            // connections do not keep it.
            buffer.removeAll(keepingCapacity: buffer.capacity <= 64 * 1024)
            readIndex = 0
        } else if readIndex > 0 && readIndex * 2 >= buffer.count {
            // Moving at most as many bytes as were consumed keeps this amortised O(1).
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    // MARK: Events

    mutating func next() throws(HTTPParseError) -> Event? {
        if case .failed(let error) = state { throw error }
        do {
            return try step()
        } catch {
            state = .failed(error)
            throw error
        }
    }

    /// The peer closed: no more bytes will come (RFC 9112 §8: a message cut short is
    /// incomplete; only an until-close body ends by closing).
    mutating func finish() throws(HTTPParseError) -> Event? {
        eof = true
        return try next()
    }

    private mutating func step() throws(HTTPParseError) -> Event? {
        while true {
            switch state {
            case .startLine:
                let lineStart = readIndex
                let line: Range<Int>
                do throws(HTTPParseError) {
                    guard let complete = try nextLine(maxContent: limits.maxStartLineBytes,
                                                      tooLong: startLineTooLong) else {
                        if eof && (hasBufferedBytes || skippedEmptyLine || sawInterimResponse) { throw .truncated }
                        return nil
                    }
                    line = complete
                    if line.isEmpty {
                        guard !skippedEmptyLine else { throw bad("more than one empty line before the start line") }
                        skippedEmptyLine = true
                        continue
                    }
                    switch kind {
                    case .request: try parseRequestLine(line)
                    case .response: try parseStatusLine(line)
                    }
                } catch {
                    // A request line refused as a whole (too long, bad target, bad
                    // version) may still have begun with a method: the server's error
                    // answer to a HEAD must carry no content (RFC 9110 §9.3.2).
                    if kind == .request { method = leadingMethod(at: lineStart) }
                    throw error
                }
                state = .fieldLines

            case .fieldLines:
                guard let line = try nextSectionLine(limit: limits.maxHeaderBytes) else { return nil }
                if !line.isEmpty {
                    try addField(line, countingAgainst: limits.maxHeaderCount)
                    continue
                }
                if let head = try completeHead() { return head }

            case .headReturned:
                switch framing {
                case .none, .contentLength(0):
                    return endMessage()
                case .contentLength(let length):
                    // Checked here, after the caller could call setBodyLimit, and before
                    // any body byte is read; nothing of the declared size is allocated.
                    guard length <= bodyLimit else { throw .payloadTooLarge }
                    state = .fixedBody(remaining: length)
                case .chunked:
                    state = .chunkSize
                case .untilClose:
                    state = .untilCloseBody
                }

            case .fixedBody(let remaining):
                if remaining == 0 { return endMessage() }
                guard hasBufferedBytes else {
                    if eof { throw .truncated }
                    return nil
                }
                let piece = take(remaining)
                state = .fixedBody(remaining: remaining - piece.count)
                return .body(piece)

            case .untilCloseBody:
                guard hasBufferedBytes else { return eof ? endMessage() : nil }
                // Hand out what the limit allows first, so the outcome does not depend
                // on how the bytes were split; the byte past the limit fails.
                guard bodyBytesSoFar < bodyLimit else { throw .payloadTooLarge }
                let piece = take(bodyLimit - bodyBytesSoFar)
                bodyBytesSoFar += piece.count
                return .body(piece)

            case .chunkSize:
                // The size line holds at most 16 hex digits plus bounded extensions.
                guard let line = try nextLine(maxContent: 16 + limits.maxChunkExtensionBytes,
                                              tooLong: bad("chunk extensions too long")) else {
                    if eof { throw .truncated }
                    return nil
                }
                let size = try parseChunkSize(line)
                if size == 0 {
                    sectionBytes = 0
                    fieldCount = 0
                    state = .trailers
                } else {
                    // RFC 9112 §7.1: the running total is bounded before the data is read.
                    guard size <= bodyLimit - bodyBytesSoFar else { throw .payloadTooLarge }
                    bodyBytesSoFar += size
                    state = .chunkData(remaining: size)
                }

            case .chunkData(let remaining):
                guard hasBufferedBytes else {
                    if eof { throw .truncated }
                    return nil
                }
                let piece = take(remaining)
                let left = remaining - piece.count
                state = left == 0 ? .chunkDataEnd : .chunkData(remaining: left)
                return .body(piece)

            case .chunkDataEnd:
                // RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF;
                // anything else after the data means the framing is lost.
                guard buffer.count - readIndex >= 2 else {
                    if buffer.count - readIndex == 1 && buffer[readIndex] != HTTPByteClass.cr {
                        throw bad("chunk data not followed by CRLF")
                    }
                    if eof { throw .truncated }
                    return nil
                }
                guard buffer[readIndex] == HTTPByteClass.cr, buffer[readIndex + 1] == HTTPByteClass.lf else {
                    throw bad("chunk data not followed by CRLF")
                }
                readIndex += 2
                state = .chunkSize

            case .trailers:
                guard let line = try nextSectionLine(limit: limits.maxTrailerBytes) else { return nil }
                if line.isEmpty { return endMessage() }
                // RFC 9110 §6.5: trailers are validated like fields, then discarded;
                // nothing here needs them and merging them would be unsafe.
                try addField(line, countingAgainst: limits.maxHeaderCount, keep: false)

            case .failed(let error):
                throw error
            }
        }
    }

    /// The next line of a header or trailer section whose bytes (field lines with their
    /// CRLF) may not exceed `limit`; the line that would pass it fails with 431 as soon
    /// as that is certain.
    private mutating func nextSectionLine(limit: Int) throws(HTTPParseError) -> Range<Int>? {
        let budget = limit - sectionBytes
        guard let line = try nextLine(maxContent: max(0, budget - 2), tooLong: .headerFieldsTooLarge) else {
            if eof { throw .truncated }
            return nil
        }
        return line
    }

    /// Up to `count` buffered bytes, consumed.
    /// The method token at the start of a request line beginning at `start`, when
    /// one is there and followed by SP; "" otherwise.
    private func leadingMethod(at start: Int) -> String {
        buffer.withUnsafeBufferPointer { p in
            var i = start
            while i < p.count && HTTPByteClass.isTokenChar(p[i]) { i += 1 }
            guard i > start, i < p.count, p[i] == HTTPByteClass.sp else { return "" }
            return String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
        }
    }

    private mutating func take(_ count: Int) -> [UInt8] {
        let n = min(count, buffer.count - readIndex)
        let piece = Array(buffer[readIndex..<readIndex + n])
        readIndex += n
        return piece
    }

    private mutating func endMessage() -> Event {
        state = .startLine
        method = ""
        skippedEmptyLine = false
        sectionBytes = 0
        fieldCount = 0
        bodyBytesSoFar = 0
        bodyLimit = limits.maxBodyBytes
        framing = .none
        return .end
    }

    /// The head is complete: apply the framing rules and hand it out, or (for 1xx
    /// interim responses) drop it and read the next one.
    private mutating func completeHead() throws(HTTPParseError) -> Event? {
        switch kind {
        case .request:
            framing = try requestFraming()
            let head = HTTPRequestHead(method: method, target: target, version: version,
                                       headers: takeHeaders(), framing: framing)
            state = .headReturned
            return .requestHead(head)
        case .response:
            if status < 200 && status != 101 {
                // RFC 9110 §15.2: a client must be able to parse and ignore 1xx
                // responses it did not ask for; the final response follows.
                _ = takeHeaders()
                state = .startLine
                skippedEmptyLine = false
                sawInterimResponse = true
                return nil
            }
            framing = try responseFraming()
            requestMethod = nil
            sawInterimResponse = false
            let head = HTTPResponseHead(status: status, reason: reason, version: version,
                                        headers: takeHeaders(), framing: framing)
            state = .headReturned
            return .responseHead(head)
        }
    }

    private mutating func takeHeaders() -> HTTPHeaders {
        let taken = headers
        headers = HTTPHeaders()
        headers.reserveCapacity(Self.typicalFieldCount)
        sectionBytes = 0
        fieldCount = 0
        hostCount = 0
        contentLength = nil
        hasTransferEncoding = false
        return taken
    }

    /// Room reserved for the fields of each head, so that a usual request grows its
    /// field list once, not four times.
    static let typicalFieldCount = 12

    /// The error for a syntax violation: 400 for requests, a bad-response error for
    /// responses (the client reports it instead of answering).
    func bad(_ why: String) -> HTTPParseError {
        kind == .request ? .badRequest(why) : .badResponse(why)
    }

    private var startLineTooLong: HTTPParseError {
        kind == .request ? .uriTooLong : .badResponse("status line too long")
    }
}
