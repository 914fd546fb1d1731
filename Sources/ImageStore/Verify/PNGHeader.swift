/// The IHDR fields and what they imply for the size of the decoded image data
/// (PNG spec, sections 11.2.2 IHDR, 7.2 scanlines, 8.2 Adam7 interlacing).
struct PNGHeader {
    let width: Int
    let height: Int
    let bitDepth: Int
    let colorType: Int
    let interlaced: Bool

    /// Parses and validates the 13 IHDR data bytes.
    init(_ data: [UInt8]) throws(ImageVerificationError) {
        func u32(_ i: Int) -> Int {
            Int(data[i]) << 24 | Int(data[i + 1]) << 16 | Int(data[i + 2]) << 8 | Int(data[i + 3])
        }
        width = u32(0)
        height = u32(4)
        bitDepth = Int(data[8])
        colorType = Int(data[9])
        guard width > 0, height > 0, width <= 0x7FFF_FFFF, height <= 0x7FFF_FFFF else {
            throw .corrupt("PNG IHDR dimensions \(width)x\(height) out of range")
        }
        let allowedDepths: [Int]
        switch colorType {
        case 0: allowedDepths = [1, 2, 4, 8, 16]   // greyscale
        case 2, 4, 6: allowedDepths = [8, 16]      // truecolour, grey+alpha, RGBA
        case 3: allowedDepths = [1, 2, 4, 8]       // indexed
        default: throw .corrupt("PNG IHDR colour type \(colorType) invalid")
        }
        guard allowedDepths.contains(bitDepth) else {
            throw .corrupt("PNG IHDR bit depth \(bitDepth) invalid for colour type \(colorType)")
        }
        guard data[10] == 0 else { throw .corrupt("PNG compression method \(data[10]) unknown") }
        guard data[11] == 0 else { throw .corrupt("PNG filter method \(data[11]) unknown") }
        guard data[12] <= 1 else { throw .corrupt("PNG interlace method \(data[12]) unknown") }
        interlaced = data[12] == 1
    }

    var channels: Int {
        switch colorType {
        case 2: 3
        case 4: 2
        case 6: 4
        default: 1
        }
    }

    var bitsPerPixel: Int { channels * bitDepth }

    /// Scanline groups as (row count, bytes per row including the filter byte): one
    /// group for a plain image, one per non-empty Adam7 pass for an interlaced one.
    var scanlines: [(rows: Int, length: Int)] {
        let passes: [(x0: Int, y0: Int, dx: Int, dy: Int)] = interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)]
        return passes.compactMap { pass in
            let columns = width > pass.x0 ? (width - pass.x0 + pass.dx - 1) / pass.dx : 0
            let rows = height > pass.y0 ? (height - pass.y0 + pass.dy - 1) / pass.dy : 0
            guard columns > 0, rows > 0 else { return nil }
            return (rows, 1 + (columns * bitsPerPixel + 7) / 8)
        }
    }

    /// Total inflated length the IDAT stream must have, or nil on overflow.
    var decodedLength: Int? {
        var total = 0
        for group in scanlines {
            let (product, overflow) = group.rows.multipliedReportingOverflow(by: group.length)
            guard !overflow else { return nil }
            let (sum, overflow2) = total.addingReportingOverflow(product)
            guard !overflow2 else { return nil }
            total = sum
        }
        return total
    }
}
