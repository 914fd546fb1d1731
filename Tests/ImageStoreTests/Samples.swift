@testable import ImageStore

/// Hand-built image files for the verifier tests.
enum Samples {
    static func png(width: Int, height: Int, seed: UInt32 = 1, idatChunkSize: Int = 64 * 1024) -> [UInt8] {
        PNGEncoder.encode(width: width, height: height, rgb: PNGEncoder.pattern(width: width, height: height, seed: seed),
                          idatChunkSize: idatChunkSize)
    }

    /// A PNG assembled from raw parts, for layouts the encoder does not make.
    static func png(ihdr: [UInt8], scanlines: [UInt8], extraChunks: [[UInt8]] = []) -> [UInt8] {
        var bytes = PNGEncoder.signature + PNGEncoder.chunk("IHDR", ihdr)
        for chunk in extraChunks { bytes += chunk }
        bytes += PNGEncoder.chunk("IDAT", PNGEncoder.deflate(scanlines))
        bytes += PNGEncoder.chunk("IEND", [])
        return bytes
    }

    static func ihdr(width: Int, height: Int, bitDepth: UInt8 = 8, colorType: UInt8 = 2, interlace: UInt8 = 0) -> [UInt8] {
        PNGEncoder.bigEndian(UInt32(width)) + PNGEncoder.bigEndian(UInt32(height)) + [bitDepth, colorType, 0, 0, interlace]
    }

    /// Offsets of each chunk: (offset of length field, type, data length).
    static func chunks(_ png: [UInt8]) -> [(offset: Int, type: String, length: Int)] {
        var out: [(Int, String, Int)] = []
        var offset = 8
        while offset + 12 <= png.count {
            let length = Int(png[offset]) << 24 | Int(png[offset + 1]) << 16 | Int(png[offset + 2]) << 8 | Int(png[offset + 3])
            out.append((offset, String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self), length))
            offset += 12 + length
        }
        return out
    }

    /// Baseline (SOF0) or progressive (SOF2) JPEG skeleton with stuffed scan data.
    static func jpeg(width: Int, height: Int, sof: UInt8 = 0xC0) -> [UInt8] {
        var bytes: [UInt8] = [0xFF, 0xD8]
        bytes += [0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        bytes += [0xFF, 0xDB, 0x00, 0x43, 0x00] + [UInt8](repeating: 1, count: 64)   // DQT
        bytes += [0xFF, sof, 0x00, 0x11, 8, UInt8(height >> 8), UInt8(height & 0xFF),
                  UInt8(width >> 8), UInt8(width & 0xFF), 3, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0]
        bytes += [0xFF, 0xDA, 0x00, 0x0C, 3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]
        // Entropy-coded data containing a stuffed FF 00 and a restart marker.
        bytes += [0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78, 0x9A, 0xFF, 0x00]
        bytes += [0xFF, 0xD9]
        return bytes
    }

    static func riff(_ chunks: [UInt8]) -> [UInt8] {
        Array("RIFF".utf8) + le32(4 + chunks.count) + Array("WEBP".utf8) + chunks
    }

    static func webpChunk(_ fourCC: String, _ data: [UInt8]) -> [UInt8] {
        Array(fourCC.utf8) + le32(data.count) + data + (data.count % 2 == 1 ? [0] : [])
    }

    static func vp8(width: Int, height: Int) -> [UInt8] {
        webpChunk("VP8 ", [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A] + le16(width) + le16(height) + [0x00, 0x11, 0x22, 0x33])
    }

    static func vp8l(width: Int, height: Int) -> [UInt8] {
        let bits = UInt32(width - 1) | UInt32(height - 1) << 14 | 1 << 28
        return webpChunk("VP8L", [0x2F] + le32(Int(bits)) + [0xAB, 0xCD])
    }

    static func vp8x(width: Int, height: Int) -> [UInt8] {
        webpChunk("VP8X", [0x10, 0, 0, 0] + Array(le32(width - 1).prefix(3)) + Array(le32(height - 1).prefix(3)))
    }

    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    static func le32(_ v: Int) -> [UInt8] {
        [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 24) & 0xFF)]
    }

    /// Changes one byte of a chunk's data and rewrites that chunk's CRC, so only the
    /// deeper checks (inflate, lengths) can catch it.
    static func patchKeepingCRC(_ png: [UInt8], chunkOffset: Int, dataIndex: Int, value: UInt8) -> [UInt8] {
        var bytes = png
        let length = Int(bytes[chunkOffset]) << 24 | Int(bytes[chunkOffset + 1]) << 16
            | Int(bytes[chunkOffset + 2]) << 8 | Int(bytes[chunkOffset + 3])
        bytes[chunkOffset + 8 + dataIndex] = value
        let type = String(decoding: bytes[(chunkOffset + 4)..<(chunkOffset + 8)], as: UTF8.self)
        let rebuilt = PNGEncoder.chunk(type, Array(bytes[(chunkOffset + 8)..<(chunkOffset + 8 + length)]))
        bytes.replaceSubrange(chunkOffset..<(chunkOffset + 12 + length), with: rebuilt)
        return bytes
    }
}
