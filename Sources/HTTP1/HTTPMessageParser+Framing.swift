/// Message framing (RFC 9112 §6): which of Content-Length, Transfer-Encoding or the end
/// of the connection delimits the body, with the checks that keep two parsers of the
/// same bytes from disagreeing about where a message ends.
extension HTTPMessageParser {
    /// RFC 9112 §3.2, §6.1, §6.3 for requests.
    func requestFraming() throws(HTTPParseError) -> HTTPBodyFraming {
        // RFC 9112 §3.2: 400 for an HTTP/1.1 request without Host, and for any request
        // with more than one.
        if hostCount > 1 { throw .badRequest("more than one Host field") }
        if hostCount == 0 && version == .http1_1 { throw .badRequest("missing Host field") }

        if hasTransferEncoding {
            // RFC 9112 §6.1: TE in HTTP/1.0 means faulty framing; TE with CL is how
            // requests are smuggled, so both are refused and the connection closed.
            if version == .http1_0 { throw .badRequest("Transfer-Encoding in an HTTP/1.0 request") }
            if contentLength != nil { throw .badRequest("both Transfer-Encoding and Content-Length") }
            let codings = try transferCodings()
            // RFC 9112 §6.3 rule 4: if chunked is not the final coding of a request the
            // length cannot be determined: 400 and close.
            guard codings.last == "chunked" else { throw .badRequest("final transfer coding is not chunked") }
            if let coding = codings.dropLast().first {
                // RFC 9112 §6.1: a coding we do not decode gets 501. (We decode none but
                // chunked, so gzip/deflate/compress get it too.)
                throw .notImplemented("transfer coding \(coding)")
            }
            return .chunked
        }
        if let length = contentLength { return .contentLength(length) }
        return .none
    }

    /// RFC 9112 §6.3 for responses: HEAD, 1xx, 204 and 304 have no body; neither has a
    /// 2xx answer to CONNECT; then chunked, then Content-Length, else until close.
    func responseFraming() throws(HTTPParseError) -> HTTPBodyFraming {
        if let m = requestMethod, m == "HEAD" { return .none }
        if status < 200 || status == 204 || status == 304 { return .none }
        if let m = requestMethod, m == "CONNECT", status < 300 { return .none }
        if hasTransferEncoding {
            // RFC 9112 §6.1 and §6.3 rule 3: TE with CL, or TE in HTTP/1.0, is a sign of
            // response splitting; refusing it is the safe reading for a client.
            if version == .http1_0 { throw .badResponse("Transfer-Encoding in an HTTP/1.0 response") }
            if contentLength != nil { throw .badResponse("both Transfer-Encoding and Content-Length") }
            let codings = try transferCodings()
            // RFC 9112 §6.3 rule 4: a response whose final coding is not chunked is
            // read until the connection closes.
            return codings.last == "chunked" ? .chunked : .untilClose
        }
        if let length = contentLength { return .contentLength(length) }
        return .untilClose
    }

    /// The Transfer-Encoding list, lowercased (RFC 9112 §6.1: codings are
    /// case-insensitive tokens). `chunked` more than once is refused (§6.1: it must not
    /// be applied twice).
    private func transferCodings() throws(HTTPParseError) -> [String] {
        let codings = headers.tokens("transfer-encoding")
        guard !codings.isEmpty else { throw bad("empty Transfer-Encoding") }
        var chunkedSeen = false
        for coding in codings {
            guard HTTPByteClass.isToken(coding) else { throw bad("invalid transfer coding") }
            if coding == "chunked" {
                guard !chunkedSeen else { throw bad("chunked applied more than once") }
                chunkedSeen = true
            }
        }
        return codings
    }

    /// Content-Length = 1*DIGIT (RFC 9110 §8.6), overflow-checked. A list of identical
    /// values, in one field or several, collapses to one; differing values are refused.
    func mergeContentLength(_ value: String, into previous: Int?) throws(HTTPParseError) -> Int {
        var merged = previous
        var current = 0
        var digits = 0
        var spaceAfterDigits = false
        func close() throws(HTTPParseError) {
            guard digits > 0 else { throw bad("invalid Content-Length") }
            if let m = merged, m != current { throw bad("differing Content-Length values") }
            merged = current
            current = 0
            digits = 0
            spaceAfterDigits = false
        }
        for b in value.utf8 {
            if HTTPByteClass.isDigit(b) {
                guard !spaceAfterDigits else { throw bad("invalid Content-Length") }
                let (times10, o1) = current.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int(b - 0x30))
                guard !o1 && !o2 else { throw bad("Content-Length overflows") }
                current = sum
                digits += 1
            } else if HTTPByteClass.isWhitespace(b) {
                if digits > 0 { spaceAfterDigits = true }
            } else if b == HTTPByteClass.comma {
                try close()
            } else {
                throw bad("invalid Content-Length")
            }
        }
        try close()
        return merged ?? 0
    }
}
