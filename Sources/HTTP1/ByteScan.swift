/// Word-at-a-time scans for the two loops every request goes through: finding the end
/// of a line and validating a field value. Eight bytes are tested per step with the
/// classic "has a zero/smaller byte" bit tricks, which are exact for "is there any", and
/// only a word that may hold a hit is looked at byte by byte.
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    @inline(__always)
    private static func hasZeroByte(_ v: UInt64) -> Bool {
        (v &- ones) & ~v & highs != 0
    }

    /// Whether any byte of `v` is below `n` (valid for n <= 128).
    @inline(__always)
    private static func hasByteBelow(_ v: UInt64, _ n: UInt8) -> Bool {
        (v &- ones &* UInt64(n)) & ~v & highs != 0
    }

    @inline(__always)
    private static func word(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt64 {
        UnsafeRawPointer(p.baseAddress!).loadUnaligned(fromByteOffset: i, as: UInt64.self)
    }

    /// Index of the first CR or LF in `from..<to`.
    static func firstLineBreak(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        var i = from
        while i + 8 <= to {
            let w = word(p, i)
            if hasZeroByte(w ^ (ones &* 0x0D)) || hasZeroByte(w ^ (ones &* 0x0A)) { break }
            i += 8
        }
        while i < to {
            let b = p[i]
            if b == HTTPByteClass.cr || b == HTTPByteClass.lf { return i }
            i += 1
        }
        return nil
    }

    /// Index of the first byte in `from..<to` that may not appear in a field value
    /// (see `HTTPByteClass.isFieldContentChar`).
    static func firstInvalidFieldByte(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        var i = from
        while i + 8 <= to {
            let w = word(p, i)
            // Controls (HTAB among them, hence the byte check) or DEL.
            if hasByteBelow(w, 0x20) || hasZeroByte(w ^ (ones &* 0x7F)) {
                for j in i..<(i + 8) where !HTTPByteClass.isFieldContentChar(p[j]) { return j }
            }
            i += 8
        }
        while i < to {
            if !HTTPByteClass.isFieldContentChar(p[i]) { return i }
            i += 1
        }
        return nil
    }

    /// ASCII case-insensitive comparison of `from..<to` with a lowercase name; used to
    /// recognise the framing fields while their bytes are at hand. `b | 0x20` folds
    /// only letters onto letters among token characters.
    @inline(__always)
    static func equalsLowercase(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int, _ lower: StaticString) -> Bool {
        guard to - from == lower.utf8CodeUnitCount else { return false }
        let s = lower.utf8Start
        for k in 0..<(to - from) where p[from + k] | 0x20 != s[k] { return false }
        return true
    }
}
