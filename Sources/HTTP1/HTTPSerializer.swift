/// Writes heads and chunk framing as bytes (RFC 9112). The serializer cannot fail, so
/// it neutralises what would change the framing instead: CR, LF and NUL in a value or
/// reason become SP, a field whose name is not a token is left out, and a request
/// target has bytes outside visible ASCII percent-encoded (RFC 9112 §3.2). This keeps a
/// caller-supplied string from splitting a message in two.
public enum HTTPSerializer {
    /// Status line + fields + CRLF.
    public static func serialize(_ head: HTTPResponseHead) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + estimatedSize(head.headers))
        appendVersion(head.version, to: &out)
        out.append(HTTPByteClass.sp)
        let status = min(max(head.status, 100), 999)
        out.append(UInt8(0x30 + status / 100))
        out.append(UInt8(0x30 + status / 10 % 10))
        out.append(UInt8(0x30 + status % 10))
        out.append(HTTPByteClass.sp)
        appendFieldContent(head.reason, to: &out)
        appendCRLF(to: &out)
        appendFields(head.headers, to: &out)
        return out
    }

    /// Request line + fields + CRLF.
    public static func serialize(_ head: HTTPRequestHead) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + head.target.utf8.count + estimatedSize(head.headers))
        for b in head.method.utf8 where HTTPByteClass.isTokenChar(b) { out.append(b) }
        out.append(HTTPByteClass.sp)
        for b in head.target.utf8 {
            if b > 0x20 && b < 0x7F {
                out.append(b)
            } else {
                out.append(0x25) // %
                out.append(hexDigit(b >> 4, uppercase: true))
                out.append(hexDigit(b & 0xF, uppercase: true))
            }
        }
        if head.target.isEmpty { out.append(0x2F) } // "/": the target may not be empty
        out.append(HTTPByteClass.sp)
        appendVersion(head.version, to: &out)
        appendCRLF(to: &out)
        appendFields(head.headers, to: &out)
        return out
    }

    /// One chunk: size in hex, CRLF, the bytes, CRLF (RFC 9112 §7.1). An empty input
    /// gives no bytes at all, because an empty chunk would end the body.
    public static func chunk<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        let count = bytes.count
        guard count > 0 else { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(count + 20)
        var shift = (Int.bitWidth - count.leadingZeroBitCount + 3) / 4 * 4
        while shift > 0 {
            shift -= 4
            out.append(hexDigit(UInt8((count >> shift) & 0xF), uppercase: false))
        }
        appendCRLF(to: &out)
        out.append(contentsOf: bytes)
        appendCRLF(to: &out)
        return out
    }

    /// The last chunk with an empty trailer section.
    public static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    // MARK: Pieces

    private static func appendVersion(_ version: HTTPVersion, to out: inout [UInt8]) {
        out.append(contentsOf: "HTTP/".utf8)
        out.append(UInt8(0x30 + min(max(version.major, 0), 9)))
        out.append(0x2E)
        out.append(UInt8(0x30 + min(max(version.minor, 0), 9)))
    }

    private static func appendFields(_ headers: HTTPHeaders, to out: inout [UInt8]) {
        for field in headers where HTTPByteClass.isToken(field.name) {
            out.append(contentsOf: field.name.utf8)
            out.append(HTTPByteClass.colon)
            out.append(HTTPByteClass.sp)
            appendFieldContent(field.value, to: &out)
            appendCRLF(to: &out)
        }
        appendCRLF(to: &out)
    }

    private static func appendFieldContent(_ value: String, to out: inout [UInt8]) {
        for b in value.utf8 {
            out.append(b == HTTPByteClass.cr || b == HTTPByteClass.lf || b == 0 ? HTTPByteClass.sp : b)
        }
    }

    @inline(__always)
    private static func appendCRLF(to out: inout [UInt8]) {
        out.append(HTTPByteClass.cr)
        out.append(HTTPByteClass.lf)
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8, uppercase: Bool) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : (uppercase ? 0x41 : 0x61) + nibble - 10
    }

    private static func estimatedSize(_ headers: HTTPHeaders) -> Int {
        headers.fields.reduce(2) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
    }
}
