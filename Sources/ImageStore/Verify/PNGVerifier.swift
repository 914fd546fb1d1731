import CZlib

/// PNG structure (PNG spec, 3rd ed.): signature; IHDR first; chunks each with a CRC-32
/// over type and data (5.3); PLTE before IDAT for indexed colour; IDAT chunks
/// consecutive (5.6); IEND last with nothing after; the IDAT zlib stream inflates to
/// exactly the length the header implies.
enum PNGVerifier {
    private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func verify(_ reader: ByteReader, expected: ExpectedSize) throws(ImageVerificationError) -> (width: Int, height: Int) {
        guard try reader.read(8, "PNG signature") == signature else { throw .corrupt("PNG signature invalid") }
        var header: PNGHeader?
        var checker: PNGDataChecker?
        var sawPalette = false
        var idatState = 0   // 0 none yet, 1 inside the IDAT run, 2 after it
        while true {
            let chunkOffset = reader.position
            let length = Int(try reader.uint32BE("PNG ends before IEND (chunk length at offset \(chunkOffset))"))
            guard length <= 0x7FFF_FFFF else { throw .corrupt("PNG chunk length \(length) at offset \(chunkOffset)") }
            let type = try reader.read(4, "PNG chunk type at offset \(chunkOffset)")
            guard type.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }) else {
                throw .corrupt("PNG chunk type at offset \(chunkOffset) is not letters")
            }
            let name = String(decoding: type, as: UTF8.self)
            guard length + 4 <= reader.remaining else {
                throw .truncated("PNG chunk \(name) at offset \(chunkOffset) needs \(length + 4) more bytes, \(reader.remaining) left")
            }
            var crc = type.withUnsafeBytes { update(crc32(0, nil, 0), $0) }
            if header == nil && name != "IHDR" { throw .corrupt("PNG first chunk is \(name), not IHDR") }
            if idatState == 1 && name != "IDAT" { idatState = 2 }

            switch name {
            case "IHDR":
                guard header == nil, length == 13 else { throw .corrupt("PNG IHDR repeated or of length \(length)") }
                let data = try reader.read(13, "PNG IHDR")
                crc = data.withUnsafeBytes { update(crc, $0) }
                try checkCRC(crc, reader, name, chunkOffset)
                let parsed = try PNGHeader(data)
                try expected.check(width: parsed.width, height: parsed.height)
                guard let decoded = parsed.decodedLength, decoded <= expected.limits.maxDecodedBytes else {
                    throw .tooLarge("PNG \(parsed.width)x\(parsed.height) decodes past \(expected.limits.maxDecodedBytes) bytes")
                }
                header = parsed
                checker = try PNGDataChecker(header: parsed, expected: decoded)
            case "IDAT":
                guard idatState != 2 else { throw .corrupt("PNG IDAT chunks are not consecutive") }
                if header?.colorType == 3 && !sawPalette { throw .corrupt("PNG indexed image without PLTE before IDAT") }
                idatState = 1
                // A data error is reported after the CRC: a damaged chunk is a CRC
                // failure first, whatever its bytes then inflate to.
                var dataError: ImageVerificationError?
                try reader.stream(length, "PNG IDAT") { piece in
                    crc = update(crc, piece)
                    guard dataError == nil else { return }
                    do throws(ImageVerificationError) { try checker?.feed(piece) } catch { dataError = error }
                }
                try checkCRC(crc, reader, name, chunkOffset)
                if let dataError { throw dataError }
                continue
            case "PLTE":
                guard idatState == 0, !sawPalette, length % 3 == 0, length >= 3, length <= 768 else {
                    throw .corrupt("PNG PLTE misplaced, repeated or of length \(length)")
                }
                sawPalette = true
                try reader.stream(length, "PNG PLTE") { crc = update(crc, $0) }
            case "IEND":
                guard length == 0 else { throw .corrupt("PNG IEND has length \(length)") }
            default:
                // Bit 5 of the first type byte clear = critical: a decoder that does not
                // know it must reject the image (PNG spec 5.4).
                guard type[0] & 0x20 != 0 else { throw .corrupt("PNG unknown critical chunk \(name)") }
                try reader.stream(length, "PNG chunk \(name)") { crc = update(crc, $0) }
            }
            if name != "IHDR" { try checkCRC(crc, reader, name, chunkOffset) }
            if name == "IEND" { break }
        }
        guard let header, let checker, idatState != 0 else { throw .corrupt("PNG has no IDAT") }
        try checker.finish()
        if reader.remaining > 0 { throw .trailingData(reader.remaining) }
        return (header.width, header.height)
    }

    private static func checkCRC(_ crc: uLong, _ reader: ByteReader, _ name: String,
                                 _ chunkOffset: Int) throws(ImageVerificationError) {
        let stored = try reader.uint32BE("PNG chunk \(name) CRC")
        guard UInt32(truncatingIfNeeded: crc) == stored else {
            throw .corrupt("PNG chunk \(name) at offset \(chunkOffset) fails its CRC-32")
        }
    }

    private static func update(_ crc: uLong, _ bytes: UnsafeRawBufferPointer) -> uLong {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return crc32(crc, base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count))
    }
}
