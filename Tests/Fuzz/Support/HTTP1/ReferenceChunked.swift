/// A chunked decoder written for clarity, not speed, to cross-check the parser on bodies
/// the parser accepted: sizes in hex, extensions ignored after `;`, data, CRLF, until the
/// zero chunk; trailers are skipped. Returns nil on anything it cannot read.
enum ReferenceChunked {
    static func decode(_ bytes: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var i = 0
        func line() -> ArraySlice<UInt8>? {
            var j = i
            while j + 1 < bytes.count {
                if bytes[j] == 0x0D && bytes[j + 1] == 0x0A {
                    let l = bytes[i..<j]
                    i = j + 2
                    return l
                }
                j += 1
            }
            return nil
        }
        while true {
            guard let sizeLine = line() else { return nil }
            let digits = sizeLine.prefix { $0 != 0x3B && $0 != 0x20 && $0 != 0x09 }
            guard !digits.isEmpty, let size = Int(String(decoding: digits, as: UTF8.self), radix: 16) else { return nil }
            if size == 0 { break }
            guard size <= bytes.count - i else { return nil }
            out += bytes[i..<(i + size)]
            i += size
            guard i + 1 < bytes.count, bytes[i] == 0x0D, bytes[i + 1] == 0x0A else { return nil }
            i += 2
        }
        while let trailer = line() {
            if trailer.isEmpty { return i == bytes.count ? out : nil }
        }
        return nil
    }
}
