#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Sequential, buffered reading over a `ByteSource`, with bounds checks that turn a
/// short file into `.truncated`.
final class ByteReader {
    private let source: any ByteSource
    private var buffer: [UInt8]
    private var bufferStart = 0      // file offset of buffer[0]
    private var bufferCount = 0
    private(set) var position = 0
    static let blockSize = 64 * 1024

    init(_ source: any ByteSource) {
        self.source = source
        buffer = [UInt8](repeating: 0, count: Self.blockSize)
    }

    var count: Int { source.count }
    var remaining: Int { source.count - position }
    var isAtEnd: Bool { position >= source.count }

    private func fill() throws(ImageVerificationError) {
        bufferStart = position
        let source = self.source
        let start = position
        let result: Result<Int, ImageVerificationError> = buffer.withUnsafeMutableBytes { raw in
            do throws(ImageVerificationError) {
                return .success(try source.read(into: raw, at: start))
            } catch {
                return .failure(error)
            }
        }
        bufferCount = try result.get()
    }

    func readByte(_ what: @autoclosure () -> String) throws(ImageVerificationError) -> UInt8 {
        if position < bufferStart || position >= bufferStart + bufferCount {
            try fill()
            guard bufferCount > 0 else { throw .truncated(what()) }
        }
        let byte = buffer[position - bufferStart]
        position += 1
        return byte
    }

    func read(_ n: Int, _ what: @autoclosure () -> String) throws(ImageVerificationError) -> [UInt8] {
        guard n <= remaining else { throw .truncated(what()) }
        var out = [UInt8]()
        out.reserveCapacity(n)
        try stream(n, what()) { out.append(contentsOf: $0) }
        return out
    }

    /// Hands the next `n` bytes to `body` in buffer-sized pieces.
    func stream(_ n: Int, _ what: @autoclosure () -> String,
                _ body: (UnsafeRawBufferPointer) throws(ImageVerificationError) -> Void) throws(ImageVerificationError) {
        guard n <= remaining else { throw .truncated(what()) }
        var left = n
        while left > 0 {
            if position < bufferStart || position >= bufferStart + bufferCount {
                try fill()
                guard bufferCount > 0 else { throw .truncated(what()) }
            }
            let offset = position - bufferStart
            let take = min(left, bufferCount - offset)
            let result: Result<Void, ImageVerificationError> = buffer.withUnsafeBytes { raw in
                do throws(ImageVerificationError) {
                    try body(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + take)]))
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            try result.get()
            position += take
            left -= take
        }
    }

    /// Moves just past the next occurrence of `byte` (memchr over the buffer, so long
    /// JPEG scans are skipped quickly).
    func advance(past byte: UInt8, _ what: @autoclosure () -> String) throws(ImageVerificationError) {
        while true {
            if position < bufferStart || position >= bufferStart + bufferCount {
                try fill()
                guard bufferCount > 0 else { throw .truncated(what()) }
            }
            let offset = position - bufferStart
            let available = bufferCount - offset
            let found = buffer.withUnsafeBytes { raw -> Int? in
                guard let hit = memchr(raw.baseAddress! + offset, Int32(byte), available) else { return nil }
                return UnsafeRawPointer(hit) - raw.baseAddress!
            }
            if let found {
                position = bufferStart + found + 1
                return
            }
            position = bufferStart + bufferCount
        }
    }

    func skip(_ n: Int, _ what: @autoclosure () -> String) throws(ImageVerificationError) {
        guard n >= 0, n <= remaining else { throw .truncated(what()) }
        position += n
    }

    func seek(to offset: Int) {
        position = offset
    }

    func uint16BE(_ what: @autoclosure () -> String) throws(ImageVerificationError) -> Int {
        let b = try read(2, what())
        return Int(b[0]) << 8 | Int(b[1])
    }

    func uint32BE(_ what: @autoclosure () -> String) throws(ImageVerificationError) -> UInt32 {
        let b = try read(4, what())
        return UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
    }

    func uint32LE(_ what: @autoclosure () -> String) throws(ImageVerificationError) -> UInt32 {
        let b = try read(4, what())
        return UInt32(b[3]) << 24 | UInt32(b[2]) << 16 | UInt32(b[1]) << 8 | UInt32(b[0])
    }
}
