#if canImport(Glibc)
import Glibc
#endif

/// One logfmt line built straight into bytes (no per-pair strings), ready for a single
/// `write(2)`. The common value (printable ASCII, nothing to quote) is copied as it is;
/// anything else goes through `Logfmt`, which owns the quoting rules.
struct LogLine {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// Adds `key=value`.
    mutating func append(_ key: String, _ value: String) {
        appendKey(key)
        appendValue(value.utf8)
    }

    /// Adds `key=value` for a value given as UTF-8 bytes.
    mutating func append<Value: Collection<UInt8>>(_ key: String, utf8 value: Value) {
        appendKey(key)
        appendValue(value)
    }

    /// Adds `key=<decimal>`.
    mutating func append(_ key: String, _ value: Int) {
        appendKey(key)
        appendDecimal(value)
    }

    /// Adds `key=<whole>.<3 decimals>` for a value in thousandths (milliseconds with
    /// microsecond precision), without going through `Double`.
    mutating func append(_ key: String, thousandths value: UInt64) {
        appendKey(key)
        appendDecimal(Int(clamping: value / 1000))
        bytes.append(UInt8(ascii: "."))
        appendPadded(Int(value % 1000), width: 3)
    }

    /// Adds `ts=YYYY-MM-DDTHH:MM:SS.mmmZ` (RFC 3339, UTC) via `gmtime_r`: a date
    /// formatter per line would cost more than the rest of the line.
    mutating func appendTimestamp(seconds: Int, milliseconds: Int) {
        appendKey("ts")
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        appendPadded(Int(parts.tm_year) + 1900, width: 4)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(Int(parts.tm_mon) + 1, width: 2)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(Int(parts.tm_mday), width: 2)
        bytes.append(UInt8(ascii: "T"))
        appendPadded(Int(parts.tm_hour), width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(Int(parts.tm_min), width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(Int(parts.tm_sec), width: 2)
        bytes.append(UInt8(ascii: "."))
        appendPadded(milliseconds, width: 3)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// The line as text, without the newline `terminated()` adds (tests, `format`).
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The bytes to write: the line and its newline.
    consuming func terminated() -> [UInt8] {
        bytes.append(0x0A)
        return bytes
    }

    // MARK: pieces

    private mutating func appendKey(_ key: String) {
        if !bytes.isEmpty { bytes.append(UInt8(ascii: " ")) }
        if key.utf8.allSatisfy(Self.isBareKeyByte), !key.isEmpty {
            bytes.append(contentsOf: key.utf8)
        } else {
            bytes.append(contentsOf: Logfmt.encodeKey(key).utf8)
        }
        bytes.append(UInt8(ascii: "="))
    }

    private mutating func appendValue<Value: Collection<UInt8>>(_ value: Value) {
        if !value.isEmpty, value.allSatisfy(Self.isBareValueByte) {
            bytes.append(contentsOf: value)
        } else {
            bytes.append(contentsOf: Logfmt.encodeValue(String(decoding: value, as: UTF8.self)).utf8)
        }
    }

    private mutating func appendDecimal(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendDecimal(UInt(value.magnitude))
        } else {
            appendDecimal(UInt(value))
        }
    }

    private mutating func appendDecimal(_ value: UInt) {
        var digits = 1
        var rest = value
        while rest >= 10 { rest /= 10; digits += 1 }
        appendPadded(value, width: digits)
    }

    private mutating func appendPadded(_ value: Int, width: Int) { appendPadded(UInt(max(0, value)), width: width) }

    /// The last `width` decimal digits of `value`, zero-padded.
    private mutating func appendPadded(_ value: UInt, width: Int) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        var rest = value
        var i = start + width - 1
        while i >= start {
            bytes[i] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            i -= 1
        }
    }

    /// Printable ASCII other than `=` and `"` (what `Logfmt.encodeKey` keeps).
    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "=") && byte != UInt8(ascii: "\"")
    }

    /// Printable ASCII that `Logfmt.needsQuoting` lets through; any non-ASCII byte takes
    /// the careful path (C1 controls and line separators are multi-byte).
    static func isBareValueByte(_ byte: UInt8) -> Bool {
        isBareKeyByte(byte) && byte != UInt8(ascii: "\\")
    }
}
