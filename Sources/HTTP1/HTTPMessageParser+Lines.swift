/// Line scanning and the syntax of start lines, field lines and chunk-size lines
/// (RFC 9112 §2-§5, §7.1).
extension HTTPMessageParser {
    private enum LineScan {
        case line(crIndex: Int)
        case incomplete(scannedTo: Int)
        case tooLong
        case bareCR
        case bareLF
    }

    /// The next CRLF-terminated line, consumed with its CRLF; returns the content range
    /// in `buffer` (valid until the next `append`), or nil when it has not fully arrived.
    /// RFC 9112 §2.2 lets a recipient accept a bare LF or replace a bare CR; we refuse
    /// both, because parsers that disagree on line ends are how requests get smuggled.
    /// A line longer than `maxContent` fails as soon as that many bytes arrive without
    /// a terminator, so a peer cannot make us buffer without bound.
    mutating func nextLine(maxContent: Int, tooLong: HTTPParseError) throws(HTTPParseError) -> Range<Int>? {
        let start = readIndex
        let from = start + scanOffset
        let result: LineScan = buffer.withUnsafeBufferPointer { p in
            let end = p.count
            // A terminator may sit at most at start + maxContent; scanning stops there.
            let overLimit = end - start > maxContent
            let scanTo = overLimit ? start + maxContent + 1 : end
            guard let i = ByteScan.firstLineBreak(p, from: from, to: scanTo) else {
                return overLimit ? .tooLong : .incomplete(scannedTo: end)
            }
            if p[i] == HTTPByteClass.lf { return .bareLF }
            if i + 1 == end { return .incomplete(scannedTo: i) }
            return p[i + 1] == HTTPByteClass.lf ? .line(crIndex: i) : .bareCR
        }
        switch result {
        case .line(let cr):
            readIndex = cr + 2
            scanOffset = 0
            return start..<cr
        case .incomplete(let scannedTo):
            scanOffset = scannedTo - start
            return nil
        case .tooLong:
            throw tooLong
        case .bareCR:
            throw bad("CR not followed by LF")
        case .bareLF:
            throw bad("line ended by LF without CR")
        }
    }

    // MARK: Start lines

    /// request-line = method SP request-target SP HTTP-version (RFC 9112 §3), with
    /// exactly one SP between the parts.
    mutating func parseRequestLine(_ line: Range<Int>) throws(HTTPParseError) {
        typealias Outcome = Result<(String, String, HTTPVersion), HTTPParseError>
        let outcome: Outcome = buffer.withUnsafeBufferPointer { p in
            var i = line.lowerBound
            let end = line.upperBound
            while i < end && p[i] != HTTPByteClass.sp {
                guard HTTPByteClass.isTokenChar(p[i]) else { return .failure(.badRequest("invalid character in method")) }
                i += 1
            }
            guard i > line.lowerBound else { return .failure(.badRequest("empty method")) }
            guard i < end else { return .failure(.badRequest("malformed request line")) }
            let methodEnd = i
            i += 1
            let targetStart = i
            // RFC 9112 §3.2: the target is a URI form, so visible ASCII only; SP or a
            // control would make the line ambiguous.
            while i < end && p[i] != HTTPByteClass.sp {
                guard p[i] > 0x20 && p[i] < 0x7F else { return .failure(.badRequest("invalid character in request target")) }
                i += 1
            }
            guard i > targetStart else { return .failure(.badRequest("empty request target")) }
            guard i < end else { return .failure(.badRequest("missing HTTP version")) }
            let targetEnd = i
            let version: HTTPVersion
            switch Self.parseVersion(p, i + 1, end) {
            case .some(let v) where v == .http1_1 || v == .http1_0:
                version = v
            case .some:
                // RFC 9110 §15.6.6: a well-formed version we do not speak.
                return .failure(.versionNotSupported)
            case .none:
                return .failure(.badRequest("malformed HTTP version"))
            }
            let method = String(decoding: UnsafeBufferPointer(rebasing: p[line.lowerBound..<methodEnd]), as: UTF8.self)
            let target = String(decoding: UnsafeBufferPointer(rebasing: p[targetStart..<targetEnd]), as: UTF8.self)
            return .success((method, target, version))
        }
        (method, target, version) = try outcome.get()
    }

    /// status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4). A
    /// missing SP before an empty reason is accepted: servers in the wild omit it.
    mutating func parseStatusLine(_ line: Range<Int>) throws(HTTPParseError) {
        typealias Outcome = Result<(HTTPVersion, Int, String), HTTPParseError>
        let outcome: Outcome = buffer.withUnsafeBufferPointer { p in
            func failed(_ why: String) -> Outcome { .failure(.badResponse(why)) }
            let s = line.lowerBound
            let end = line.upperBound
            guard end - s >= 12, let v = Self.parseVersion(p, s, s + 8) else {
                return failed("malformed status line")
            }
            guard v.major == 1 else { return failed("unsupported version \(v)") }
            guard p[s + 8] == HTTPByteClass.sp,
                  HTTPByteClass.isDigit(p[s + 9]), HTTPByteClass.isDigit(p[s + 10]), HTTPByteClass.isDigit(p[s + 11])
            else { return failed("malformed status code") }
            let code = Int(p[s + 9] - 0x30) * 100 + Int(p[s + 10] - 0x30) * 10 + Int(p[s + 11] - 0x30)
            // RFC 9110 §15: status codes are 100...599.
            guard code >= 100 && code <= 599 else { return failed("status code \(code) out of range") }
            var reason = ""
            if end > s + 12 {
                guard p[s + 12] == HTTPByteClass.sp else { return failed("malformed status line") }
                var i = s + 13
                while i < end {
                    guard HTTPByteClass.isFieldContentChar(p[i]) else { return failed("invalid character in reason phrase") }
                    i += 1
                }
                reason = String(decoding: UnsafeBufferPointer(rebasing: p[(s + 13)..<end]), as: UTF8.self)
            }
            return .success((v, code, reason))
        }
        (version, status, reason) = try outcome.get()
    }

    /// HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3), exactly `end - start` = 8
    /// bytes; nil when malformed.
    private static func parseVersion(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> HTTPVersion? {
        guard end - start == 8,
              p[start] == 0x48, p[start + 1] == 0x54, p[start + 2] == 0x54, p[start + 3] == 0x50, // HTTP
              p[start + 4] == 0x2F, p[start + 6] == 0x2E,
              HTTPByteClass.isDigit(p[start + 5]), HTTPByteClass.isDigit(p[start + 7])
        else { return nil }
        return HTTPVersion(major: Int(p[start + 5] - 0x30), minor: Int(p[start + 7] - 0x30))
    }

    // MARK: Field lines

    /// field-line = field-name ":" OWS field-value OWS (RFC 9112 §5). Adds the field to
    /// the head under construction (or only validates it, for trailers).
    mutating func addField(_ line: Range<Int>, countingAgainst maxCount: Int, keep: Bool = true) throws(HTTPParseError) {
        fieldCount += 1
        guard fieldCount <= maxCount else { throw .headerFieldsTooLarge }
        sectionBytes += line.count + 2
        let kind = self.kind
        typealias Parsed = (field: HTTPField, role: FramingField)
        let result: Result<Parsed?, HTTPParseError> = buffer.withUnsafeBufferPointer { p in
            func bad(_ why: String) -> Result<Parsed?, HTTPParseError> {
                .failure(kind == .request ? .badRequest(why) : .badResponse(why))
            }
            let end = line.upperBound
            var i = line.lowerBound
            // RFC 9112 §5.2: obs-fold is obsolete; a server must reject it (or replace
            // it), and a leading SP/HTAB right after the start line is an attack vector.
            if HTTPByteClass.isWhitespace(p[i]) { return bad("obsolete line folding") }
            while i < end && p[i] != HTTPByteClass.colon {
                let b = p[i]
                guard HTTPByteClass.isTokenChar(b) else {
                    // RFC 9112 §5.1: whitespace before the colon must be rejected with 400.
                    return HTTPByteClass.isWhitespace(b) ? bad("whitespace before field colon") : bad("invalid character in field name")
                }
                i += 1
            }
            guard i < end else { return bad("field line without colon") }
            guard i > line.lowerBound else { return bad("empty field name") }
            let nameEnd = i
            i += 1
            var valueEnd = end
            while i < valueEnd && HTTPByteClass.isWhitespace(p[i]) { i += 1 }
            while valueEnd > i && HTTPByteClass.isWhitespace(p[valueEnd - 1]) { valueEnd -= 1 }
            // RFC 9110 §5.5: CR, LF and NUL are invalid in a value; so is any other
            // control but HTAB.
            if ByteScan.firstInvalidFieldByte(p, from: i, to: valueEnd) != nil {
                return bad("invalid character in field value")
            }
            guard keep else { return .success(nil) }
            let role: FramingField =
                ByteScan.equalsLowercase(p, from: line.lowerBound, to: nameEnd, "host") ? .host
                : ByteScan.equalsLowercase(p, from: line.lowerBound, to: nameEnd, "content-length") ? .contentLength
                : ByteScan.equalsLowercase(p, from: line.lowerBound, to: nameEnd, "transfer-encoding") ? .transferEncoding
                : .other
            // RFC 9112 §3.2: a Host field with an invalid value gets 400.
            if role == .host && kind == .request {
                for k in i..<valueEnd where !HTTPByteClass.isHostChar(p[k]) { return bad("invalid Host field") }
            }
            let name = String(decoding: UnsafeBufferPointer(rebasing: p[line.lowerBound..<nameEnd]), as: UTF8.self)
            let value = String(decoding: UnsafeBufferPointer(rebasing: p[i..<valueEnd]), as: UTF8.self)
            return .success((HTTPField(name: name, value: value), role))
        }
        guard let parsed = try result.get() else { return }
        switch parsed.role {
        case .host: hostCount += 1
        case .contentLength: contentLength = try mergeContentLength(parsed.field.value, into: contentLength)
        case .transferEncoding: hasTransferEncoding = true
        case .other: break
        }
        headers.append(parsed.field)
    }

    // MARK: Chunk size

    /// chunk-size [ chunk-ext ] (RFC 9112 §7.1): hex digits, at most 16 and within Int,
    /// then optional extensions `BWS ";" ...`, which are validated loosely and ignored.
    func parseChunkSize(_ line: Range<Int>) throws(HTTPParseError) -> Int {
        enum Outcome { case ok(Int), failed(String) }
        let maxExtension = limits.maxChunkExtensionBytes
        let outcome: Outcome = buffer.withUnsafeBufferPointer { p in
            var i = line.lowerBound
            let end = line.upperBound
            var size = 0
            while i < end, let digit = HTTPByteClass.hexValue(p[i]) {
                guard i - line.lowerBound < 16 else { return .failed("chunk size too long") }
                let (shifted, overflow) = size.multipliedReportingOverflow(by: 16)
                guard !overflow else { return .failed("chunk size overflows") }
                size = shifted | digit
                i += 1
            }
            guard i > line.lowerBound else { return .failed("missing chunk size") }
            guard end - i <= maxExtension else { return .failed("chunk extensions too long") }
            guard i < end else { return .ok(size) }
            var j = i
            while j < end && HTTPByteClass.isWhitespace(p[j]) { j += 1 }
            guard j < end, p[j] == HTTPByteClass.semicolon else { return .failed("invalid character after chunk size") }
            while j < end {
                guard HTTPByteClass.isFieldContentChar(p[j]) else { return .failed("invalid character in chunk extension") }
                j += 1
            }
            return .ok(size)
        }
        switch outcome {
        case .ok(let size): return size
        case .failed(let why): throw bad(why)
        }
    }
}
