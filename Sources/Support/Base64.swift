/// RFC 4648 base64: the standard alphabet (§4, padded) and the URL-safe one (§5,
/// unpadded). Written out rather than taken from Foundation so the lower layers
/// (HTTPClient's `Proxy-Authorization: Basic`) need no Foundation.
public enum Base64 {
    private static let standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlSafe = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let pad: UInt8 = 0x3D  // "="

    /// Standard alphabet, padded with "=".
    public static func encode(_ bytes: [UInt8]) -> String {
        encode(bytes, alphabet: standard, padded: true)
    }

    /// URL-safe alphabet, no padding (callback tokens in URLs).
    public static func urlEncode(_ bytes: [UInt8]) -> String {
        encode(bytes, alphabet: urlSafe, padded: false)
    }

    /// Decodes the standard alphabet, padding optional; nil on any other character or on
    /// a length no encoding produces.
    public static func decode(_ text: String) -> [UInt8]? {
        var symbols = Array(text.utf8)
        while symbols.last == pad { symbols.removeLast() }
        guard symbols.count % 4 != 1, Array(text.utf8).count - symbols.count <= 2 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(symbols.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for symbol in symbols {
            guard let value = sextet(symbol) else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return out
    }

    private static func sextet(_ symbol: UInt8) -> UInt8? {
        switch symbol {
        case 0x41...0x5A: symbol - 0x41        // A-Z
        case 0x61...0x7A: symbol - 0x61 + 26   // a-z
        case 0x30...0x39: symbol - 0x30 + 52   // 0-9
        case 0x2B: 62                          // +
        case 0x2F: 63                          // /
        default: nil
        }
    }

    private static func encode(_ bytes: [UInt8], alphabet: [UInt8], padded: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i]
            let b1 = i + 1 < bytes.count ? bytes[i + 1] : 0
            let b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x3) << 4 | b1 >> 4)])
            if i + 1 < bytes.count { out.append(alphabet[Int((b1 & 0xf) << 2 | b2 >> 6)]) } else if padded { out.append(pad) }
            if i + 2 < bytes.count { out.append(alphabet[Int(b2 & 0x3f)]) } else if padded { out.append(pad) }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
