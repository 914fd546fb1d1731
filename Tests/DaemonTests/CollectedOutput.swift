import Foundation
import Support

/// A child's output as read so far, and whether end-of-file was reached; filled by one
/// reader thread, read by the test.
final class CollectedOutput: Sendable {
    private let state = Locked<(bytes: [UInt8], ended: Bool)>(([], false))

    var text: String { state.withLock { String(decoding: $0.bytes, as: UTF8.self) } }
    var reachedEnd: Bool { state.withLock { $0.ended } }

    /// Blocking reads until end-of-file or an error (the socket shut down by the owner).
    func readToEnd(_ handle: FileHandle) {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            state.withLock { $0.bytes += buffer[..<n] }
        }
        state.withLock { $0.ended = true }
    }
}
