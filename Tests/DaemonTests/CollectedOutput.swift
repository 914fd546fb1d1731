import Foundation

/// A child's output as read so far, and whether end-of-file was reached; filled by one
/// reader thread, read by the test.
final class CollectedOutput: @unchecked Sendable {  // `bytes` and `ended` only under `lock`
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    private var ended = false

    var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }
    var reachedEnd: Bool { lock.withLock { ended } }

    /// Blocking reads until end-of-file or an error (the socket shut down by the owner).
    func readToEnd(_ handle: FileHandle) {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            lock.withLock { bytes += buffer[..<n] }
        }
        lock.withLock { ended = true }
    }
}
