import CZlib

/// Inflates the concatenated IDAT data as it streams past and checks it against the
/// header: the zlib stream must end exactly after `expected` bytes, and every scanline
/// must start with a filter type 0...4 (PNG spec 9.2). The pixels are not kept.
final class PNGDataChecker {
    private let stream: UnsafeMutablePointer<z_stream>
    private var output: [UInt8]
    private let expected: Int
    private var produced = 0
    private(set) var finished = false
    // Scanline walk: current group, rows left in it, offset inside the current row.
    private let groups: [(rows: Int, length: Int)]
    private var group = 0
    private var rowsLeft: Int
    private var offsetInRow = 0

    init(header: PNGHeader, expected: Int) throws(ImageVerificationError) {
        self.expected = expected
        groups = header.scanlines
        rowsLeft = groups.first?.rows ?? 0
        output = [UInt8](repeating: 0, count: 64 * 1024)
        // Heap-allocated: zlib keeps a back pointer to the z_stream and checks it.
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard imagehook_inflateInit2(stream, 15) == Z_OK else {
            stream.deallocate()
            throw .io("zlib inflateInit failed")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    func feed(_ input: UnsafeRawBufferPointer) throws(ImageVerificationError) {
        // Compressed bytes after the end of the zlib stream are ignored, as decoders do.
        guard !finished, let base = input.baseAddress, input.count > 0 else { return }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        while true {
            let capacity = output.count
            let code: Int32 = output.withUnsafeMutableBytes { raw in
                stream.pointee.next_out = raw.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(capacity)
                return inflate(stream, Z_NO_FLUSH)
            }
            let got = capacity - Int(stream.pointee.avail_out)
            if got > 0 { try account(got) }
            switch code {
            case Z_STREAM_END:
                finished = true
                return
            case Z_OK:
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return }
            case Z_BUF_ERROR:
                return   // needs more input
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "error \(code)"
                throw .corrupt("PNG image data does not inflate: \(message)")
            }
        }
    }

    /// Call after IEND: the stream must be complete and exactly as long as declared.
    func finish() throws(ImageVerificationError) {
        guard finished else {
            throw .corrupt("PNG image data ends early: \(produced) of \(expected) bytes inflated")
        }
        guard produced == expected else {
            throw .corrupt("PNG image data inflates to \(produced) bytes, dimensions need \(expected)")
        }
    }

    private func account(_ count: Int) throws(ImageVerificationError) {
        produced += count
        guard produced <= expected else {
            throw .corrupt("PNG image data inflates past the \(expected) bytes its dimensions allow")
        }
        var index = 0
        while index < count {
            guard group < groups.count else { return }
            if offsetInRow == 0 {
                let filter = output[index]
                guard filter <= 4 else {
                    throw .corrupt("PNG scanline filter type \(filter) invalid")
                }
            }
            let length = groups[group].length
            let step = min(length - offsetInRow, count - index)
            index += step
            offsetInRow += step
            if offsetInRow == length {
                offsetInRow = 0
                rowsLeft -= 1
                if rowsLeft == 0 {
                    group += 1
                    rowsLeft = group < groups.count ? groups[group].rows : 0
                }
            }
        }
    }
}
