/// WebP container (RFC 9649): "RIFF" + little-endian size + "WEBP", whose size must
/// account for exactly the rest of the file; chunks padded to even length; the first
/// chunk VP8 (lossy key frame, start code 9D 01 2A, 14-bit sizes), VP8L (signature 2F,
/// 14-bit sizes minus one, version 0) or VP8X (24-bit canvas sizes minus one).
enum WebPVerifier {
    static func verify(_ reader: ByteReader, expected: ExpectedSize) throws(ImageVerificationError) -> (width: Int, height: Int) {
        try reader.skip(4, "RIFF header")
        let riffSize = Int(try reader.uint32LE("RIFF size"))
        try reader.skip(4, "WEBP form type")
        let declared = riffSize + 8
        if declared > reader.count {
            throw .truncated("RIFF declares \(declared) bytes, file has \(reader.count)")
        }
        if declared < reader.count { throw .trailingData(reader.count - declared) }

        var size: (width: Int, height: Int)?
        var sawImageData = false
        var first = true
        while !reader.isAtEnd {
            let offset = reader.position
            let fourCC = String(decoding: try reader.read(4, "WebP chunk header"), as: UTF8.self)
            let length = Int(try reader.uint32LE("WebP chunk size"))
            let padded = length + (length & 1)
            guard padded <= reader.remaining else {
                throw .truncated("WebP chunk \(fourCC) at offset \(offset) needs \(padded) bytes, \(reader.remaining) left")
            }
            let chunkStart = reader.position
            switch fourCC {
            case "VP8 ":
                if first { size = try lossySize(try reader.read(min(length, 10), "VP8 frame header"), length: length) }
                sawImageData = true
            case "VP8L":
                if first { size = try losslessSize(try reader.read(min(length, 5), "VP8L header"), length: length) }
                sawImageData = true
            case "VP8X":
                guard first else { throw .corrupt("WebP VP8X is not the first chunk") }
                guard length >= 10 else { throw .corrupt("WebP VP8X chunk too short") }
                let b = try reader.read(10, "VP8X header")
                size = (1 + (Int(b[4]) | Int(b[5]) << 8 | Int(b[6]) << 16),
                        1 + (Int(b[7]) | Int(b[8]) << 8 | Int(b[9]) << 16))
            case "ANMF":
                sawImageData = true
            default:
                if first { throw .corrupt("WebP first chunk is \(fourCC), not VP8/VP8L/VP8X") }
            }
            if first, let size { try expected.check(width: size.width, height: size.height) }
            first = false
            reader.seek(to: chunkStart + padded)
        }
        guard let size, sawImageData else { throw .corrupt("WebP has no image data chunk") }
        return size
    }

    private static func lossySize(_ b: [UInt8], length: Int) throws(ImageVerificationError) -> (Int, Int) {
        guard length >= 10, b.count == 10 else { throw .corrupt("WebP VP8 chunk too short") }
        guard b[0] & 0x01 == 0 else { throw .corrupt("WebP VP8 frame is not a key frame") }
        guard b[3] == 0x9D, b[4] == 0x01, b[5] == 0x2A else { throw .corrupt("WebP VP8 start code missing") }
        return ((Int(b[6]) | Int(b[7]) << 8) & 0x3FFF, (Int(b[8]) | Int(b[9]) << 8) & 0x3FFF)
    }

    private static func losslessSize(_ b: [UInt8], length: Int) throws(ImageVerificationError) -> (Int, Int) {
        guard length >= 5, b.count == 5 else { throw .corrupt("WebP VP8L chunk too short") }
        guard b[0] == 0x2F else { throw .corrupt("WebP VP8L signature missing") }
        let bits = UInt32(b[1]) | UInt32(b[2]) << 8 | UInt32(b[3]) << 16 | UInt32(b[4]) << 24
        guard bits >> 29 == 0 else { throw .corrupt("WebP VP8L version \(bits >> 29) unknown") }
        return (Int(bits & 0x3FFF) + 1, Int((bits >> 14) & 0x3FFF) + 1)
    }
}
