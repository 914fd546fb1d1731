/// Byte-level damage for the image faults.
enum PNGFaults {
    /// The first half of the file: ends inside IDAT, no IEND.
    static func truncated(_ png: [UInt8]) -> [UInt8] { Array(png.prefix(max(8, png.count / 2))) }

    /// Flips bits in the middle of the first IDAT's data so its CRC-32 no longer
    /// matches (PNG spec §5.3): a decoder must reject it.
    static func corrupted(_ png: [UInt8]) -> [UInt8] {
        var out = png
        var offset = 8
        while offset + 12 <= out.count {
            let length = Int(out[offset]) << 24 | Int(out[offset + 1]) << 16 | Int(out[offset + 2]) << 8 | Int(out[offset + 3])
            let type = Array(out[(offset + 4)..<(offset + 8)])
            if type == Array("IDAT".utf8), length > 0 {
                out[offset + 8 + length / 2] ^= 0xFF
                return out
            }
            offset += 12 + length
        }
        if out.count > 16 { out[out.count / 2] ^= 0xFF }
        return out
    }
}
