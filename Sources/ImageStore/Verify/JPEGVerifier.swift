/// JPEG structure (ITU T.81 annex B): SOI, marker segments with big-endian lengths, a
/// baseline/extended/progressive frame header (SOF0/1/2) giving the dimensions, at
/// least one scan, and EOI as the file's last two bytes. Entropy-coded data is skipped
/// by its byte stuffing rules (FF 00 and RSTn do not end a scan).
enum JPEGVerifier {
    static func verify(_ reader: ByteReader, expected: ExpectedSize) throws(ImageVerificationError) -> (width: Int, height: Int) {
        guard try reader.read(2, "JPEG SOI") == [0xFF, 0xD8] else { throw .corrupt("JPEG does not start with SOI") }
        var size: (width: Int, height: Int)?
        var sawScan = false
        while true {
            let offset = reader.position
            guard try reader.readByte("JPEG ends without EOI") == 0xFF else {
                throw .corrupt("JPEG expected a marker at offset \(offset)")
            }
            var marker = try reader.readByte("JPEG ends without EOI")
            while marker == 0xFF { marker = try reader.readByte("JPEG ends without EOI") }   // fill bytes
            switch marker {
            case 0xD9:   // EOI
                guard sawScan else { throw .corrupt("JPEG EOI before any scan") }
                if reader.remaining > 0 { throw .trailingData(reader.remaining) }
                guard let size else { throw .corrupt("JPEG has no frame header") }
                return size
            case 0xD0...0xD7, 0x01:   // RSTn, TEM: no length
                continue
            case 0xD8:
                throw .corrupt("JPEG second SOI at offset \(offset)")
            case 0x00:
                throw .corrupt("JPEG stray FF 00 at offset \(offset)")
            default:
                break
            }
            let length = try reader.uint16BE("JPEG segment length")
            guard length >= 2 else { throw .corrupt("JPEG segment length \(length) at offset \(offset)") }
            switch marker {
            case 0xC0, 0xC1, 0xC2:
                guard size == nil else { throw .corrupt("JPEG has a second frame header") }
                let segment = try reader.read(length - 2, "JPEG frame header")
                guard segment.count >= 6 else { throw .corrupt("JPEG frame header too short") }
                let height = Int(segment[1]) << 8 | Int(segment[2])
                let width = Int(segment[3]) << 8 | Int(segment[4])
                let components = Int(segment[5])
                guard components > 0, segment.count == 6 + 3 * components else {
                    throw .corrupt("JPEG frame header length does not match \(components) components")
                }
                // A zero height means "defined later by DNL", which decoders rarely support.
                try expected.check(width: width, height: height)
                size = (width, height)
            case 0xC3, 0xC5...0xC7, 0xC9...0xCB, 0xCD...0xCF:
                throw .corrupt("JPEG coding process SOF\(Int(marker) - 0xC0) not supported")
            case 0xDA:   // SOS
                guard size != nil else { throw .corrupt("JPEG scan before the frame header") }
                try reader.skip(length - 2, "JPEG scan header")
                sawScan = true
                try skipEntropyCodedData(reader)
            default:
                try reader.skip(length - 2, "JPEG segment")
            }
        }
    }

    /// Leaves the reader on the FF of the marker that ends the scan.
    private static func skipEntropyCodedData(_ reader: ByteReader) throws(ImageVerificationError) {
        while true {
            try reader.advance(past: 0xFF, "JPEG scan data ends without EOI")
            var next = try reader.readByte("JPEG scan data ends without EOI")
            while next == 0xFF { next = try reader.readByte("JPEG scan data ends without EOI") }
            if next == 0x00 || (0xD0...0xD7).contains(next) { continue }
            reader.seek(to: reader.position - 2)
            return
        }
    }
}
