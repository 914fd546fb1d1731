import CZlib

/// Writes 8-bit RGB images as real PNG files (PNG spec: signature, IHDR, IDAT with a
/// zlib stream of filter-0 scanlines, IEND, a CRC-32 per chunk). Used by the provider
/// simulator to serve genuine images and by tests to build valid and broken ones.
public enum PNGEncoder {
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// `rgb` holds width x height x 3 bytes, row by row. The image data is split into
    /// IDAT chunks of at most `idatChunkSize` bytes.
    public static func encode(width: Int, height: Int, rgb: [UInt8], idatChunkSize: Int = 64 * 1024,
                              compressionLevel: Int32 = 6) -> [UInt8] {
        precondition(width > 0 && height > 0 && rgb.count == width * height * 3,
                     "PNGEncoder: \(rgb.count) bytes is not \(width)x\(height) RGB")
        var scanlines = [UInt8]()
        scanlines.reserveCapacity(height * (1 + width * 3))
        for row in 0..<height {
            scanlines.append(0)   // filter type 0 (None)
            scanlines.append(contentsOf: rgb[(row * width * 3)..<((row + 1) * width * 3)])
        }
        let compressed = deflate(scanlines, level: compressionLevel)

        var ihdr = [UInt8]()
        ihdr += bigEndian(UInt32(width))
        ihdr += bigEndian(UInt32(height))
        ihdr += [8, 2, 0, 0, 0]   // bit depth 8, colour type 2 (RGB), deflate, filter 0, no interlace
        var png = signature
        png += chunk("IHDR", ihdr)
        let size = max(1, idatChunkSize)
        var offset = 0
        repeat {
            let end = min(offset + size, compressed.count)
            png += chunk("IDAT", Array(compressed[offset..<end]))
            offset = end
        } while offset < compressed.count
        png += chunk("IEND", [])
        return png
    }

    /// A gradient test picture: deterministic RGB pixels derived from `seed`, so
    /// different seeds give different files (and different SHA-256s).
    public static func pattern(width: Int, height: Int, seed: UInt32 = 0) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                rgb[i] = UInt8(truncatingIfNeeded: x &+ Int(seed))
                rgb[i + 1] = UInt8(truncatingIfNeeded: y &+ Int(seed >> 8))
                rgb[i + 2] = UInt8(truncatingIfNeeded: (x ^ y) &+ Int(seed >> 16))
            }
        }
        return rgb
    }

    /// One chunk: length, type, data, CRC-32 over type and data (PNG spec 5.3).
    public static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        var crc = typeBytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        if !data.isEmpty {
            crc = data.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
        }
        return bigEndian(UInt32(data.count)) + typeBytes + data + bigEndian(UInt32(truncatingIfNeeded: crc))
    }

    /// zlib-wrapped deflate (RFC 1950/1951), as PNG requires.
    public static func deflate(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var length = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let code = out.withUnsafeMutableBufferPointer { dest in
            bytes.withUnsafeBufferPointer { source in
                compress2(dest.baseAddress, &length, source.baseAddress, uLong(source.count), level)
            }
        }
        // compress2 into a compressBound-sized buffer fails only when memory runs out.
        precondition(code == Z_OK, "zlib compress2 failed: \(code)")
        return Array(out.prefix(Int(length)))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
         UInt8(truncatingIfNeeded: value)]
    }
}
