/// Byte classes of the HTTP grammar (RFC 9110 §5.6, RFC 5234 appendix B.1). Written as
/// switches rather than lookup tables so that they compile to branch-free range checks
/// without a lazily initialised global on the hot path.
enum HTTPByteClass {
    static let cr: UInt8 = 13
    static let lf: UInt8 = 10
    static let sp: UInt8 = 32
    static let htab: UInt8 = 9
    static let colon: UInt8 = 58
    static let comma: UInt8 = 44
    static let semicolon: UInt8 = 59

    /// tchar (RFC 9110 §5.6.2): the characters of a token such as a method or field name.
    @inline(__always)
    static func isTokenChar(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        // ! # $ % & ' * + - . ^ _ ` | ~
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
        default: false
        }
    }

    /// field-vchar / SP / HTAB (RFC 9110 §5.5): what a field value, reason phrase or
    /// chunk extension may contain. Every other control (NUL, CR, LF, DEL...) is refused
    /// rather than replaced, as §5.5 permits.
    @inline(__always)
    static func isFieldContentChar(_ b: UInt8) -> Bool {
        b == htab || (b >= 0x20 && b != 0x7F)
    }

    /// What a Host value (uri-host [ ":" port ], RFC 9110 §7.2, RFC 3986 §3.2.2) can
    /// contain: unreserved, pct-encoded, sub-delims, ":" and the IP-literal brackets.
    /// Anything else ("/", "@", SP...) would let the value smuggle a path or userinfo.
    @inline(__always)
    static func isHostChar(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        // - . _ ~ % ! $ & ' ( ) * + , ; = : [ ]
        case 0x2D, 0x2E, 0x5F, 0x7E, 0x25, 0x21, 0x24, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x3B, 0x3D, 0x3A, 0x5B, 0x5D: true
        default: false
        }
    }

    @inline(__always)
    static func isWhitespace(_ b: UInt8) -> Bool { b == sp || b == htab }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Value of a hex digit, or nil (RFC 9112 §7.1: chunk-size = 1*HEXDIG).
    @inline(__always)
    static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: Int(b - 0x30)
        case 0x41...0x46: Int(b - 0x41 + 10)
        case 0x61...0x66: Int(b - 0x61 + 10)
        default: nil
        }
    }

    /// True when every byte of `s` is a tchar and `s` is non-empty.
    static func isToken<S: StringProtocol>(_ s: S) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy(isTokenChar)
    }
}
