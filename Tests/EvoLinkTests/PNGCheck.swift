/// Minimal PNG structure check for tests: signature, chunk CRCs, IHDR size, IEND last.
enum PNGCheck {
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    static func be32(_ b: [UInt8], _ o: Int) -> Int {
        Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3])
    }

    /// Width and height from IHDR, when every chunk is intact and IEND ends the file.
    static func dimensions(_ png: [UInt8]) -> (Int, Int)? {
        guard png.count > 8, Array(png[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
        var o = 8
        var size: (Int, Int)?
        while o + 12 <= png.count {
            let n = be32(png, o)
            guard o + 12 + n <= png.count else { return nil }
            let type = String(decoding: png[(o + 4)..<(o + 8)], as: UTF8.self)
            guard crc32(png[(o + 4)..<(o + 8 + n)]) == UInt32(be32(png, o + 8 + n)) else { return nil }
            if type == "IHDR" { size = (be32(png, o + 8), be32(png, o + 12)) }
            if type == "IEND" { return o + 12 == png.count ? size : nil }
            o += 12 + n
        }
        return nil
    }

    static func chunksValid(_ png: [UInt8]) -> Bool { dimensions(png) != nil }
}
