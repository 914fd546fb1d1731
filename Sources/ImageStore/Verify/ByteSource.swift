/// Random-access bytes to verify: a file read with pread, or a buffer in memory. Lets
/// verification walk a file chunk by chunk without loading it whole.
protocol ByteSource {
    var count: Int { get }
    /// Copies up to `buffer.count` bytes from `offset`; fewer only at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(ImageVerificationError) -> Int
}

struct MemoryByteSource: ByteSource {
    let bytes: UnsafeRawBufferPointer
    var count: Int { bytes.count }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(ImageVerificationError) -> Int {
        let n = max(0, min(buffer.count, bytes.count - offset))
        if n > 0 { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)])) }
        return n
    }
}

struct FileByteSource: ByteSource {
    let fd: Int32
    let path: String
    let count: Int

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(ImageVerificationError) -> Int {
        do {
            return try POSIX.read(fd, into: buffer, at: offset, path: path)
        } catch {
            throw .io(error.description)
        }
    }
}
