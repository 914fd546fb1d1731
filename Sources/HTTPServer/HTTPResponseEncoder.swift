import HTTP1

/// Writes a response head straight into the output buffer, byte by byte from the
/// handler's strings: no intermediate `String` per response.
enum HTTPResponseEncoder {
    static let continue100: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Fields the server owns; a handler's values for them are dropped.
    private static func isServerOwned(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: HTTPHeaders.equalsIgnoringCase(name, "Date")
        case 10: HTTPHeaders.equalsIgnoringCase(name, "Connection") || HTTPHeaders.equalsIgnoringCase(name, "Keep-Alive")
        case 12: HTTPHeaders.equalsIgnoringCase(name, "X-Request-Id")
        case 14: HTTPHeaders.equalsIgnoringCase(name, "Content-Length")
        case 17: HTTPHeaders.equalsIgnoringCase(name, "Transfer-Encoding")
        default: false
        }
    }

    /// A field a handler built from untrusted data must not split the head (response
    /// splitting): names must be tokens, values free of CR, LF and NUL (RFC 9110 §5.5).
    private static func isSafe(_ field: HTTPField) -> Bool {
        guard !field.name.isEmpty else { return false }
        for byte in field.name.utf8 where byte <= 0x20 || byte == UInt8(ascii: ":") || byte >= 0x7F {
            return false
        }
        for byte in field.value.utf8 where byte == 0x0D || byte == 0x0A || byte == 0 {
            return false
        }
        return true
    }

    /// Whether `Content-Length` must be left out (RFC 9110 §8.6): never on 1xx and 204,
    /// and on 304 only when it can state the selected representation's length, which an
    /// empty 304 body cannot.
    static func omitsContentLength(_ status: Int, length: Int) -> Bool {
        status < 200 || status == 204 || (status == 304 && length == 0)
    }

    static func forbidsBody(_ status: Int) -> Bool {
        status < 200 || status == 204 || status == 304
    }

    /// Appends the status line and header section. `contentLength` nil omits it.
    static func encodeHead(status: Int, headers: HTTPHeaders, contentLength: Int?,
                           connection: ConnectionField, dateLine: [UInt8], requestID: String,
                           into out: inout [UInt8]) {
        // RFC 9110 §6.2: a server sends its own highest version, HTTP/1.1, even to 1.0.
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(max(100, min(status, 999)), to: &out)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: HTTPStatus.reasonPhrase(status).utf8)
        out.append(contentsOf: "\r\n".utf8)
        for field in headers.fields where !isServerOwned(field.name) && isSafe(field) {
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        if let contentLength {
            out.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(contentLength, to: &out)
            out.append(contentsOf: "\r\n".utf8)
        }
        out.append(contentsOf: dateLine)
        out.append(contentsOf: "X-Request-Id: ".utf8)
        out.append(contentsOf: requestID.utf8)
        out.append(contentsOf: "\r\n".utf8)
        switch connection {
        case .none: break
        case .close: out.append(contentsOf: "Connection: close\r\n".utf8)
        case .keepAlive: out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
    }

    /// What the `Connection` field says (RFC 9112 §9.3): 1.1 persists by default, so
    /// only `close` is sent; a 1.0 client that asked to persist gets `keep-alive`.
    enum ConnectionField {
        case none, close, keepAlive
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        var value = max(0, value)
        if value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while value > 0 {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
                count += 1
            }
            out.append(contentsOf: buffer[(20 - count)...])
        }
    }
}
