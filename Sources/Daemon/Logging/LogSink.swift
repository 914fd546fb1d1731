import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Support

/// Where formatted log lines go. Each line is written with a single `write(2)` under a
/// lock so concurrent events never interleave inside a line.
public final class LogSink: Sendable {
    private let lock = Locked(())
    private let fd: Int32
    private let capture: (@Sendable (String) -> Void)?

    public static let standardError = LogSink(fd: 2)

    public init(fd: Int32) {
        self.fd = fd
        self.capture = nil
    }

    /// A sink that hands lines to a closure (tests).
    public init(capture: @escaping @Sendable (String) -> Void) {
        self.fd = -1
        self.capture = capture
    }

    public func write(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        write(line: bytes)
    }

    /// Writes one newline-terminated line.
    func write(line bytes: [UInt8]) {
        if let capture {
            capture(String(decoding: bytes.last == 0x0A ? bytes.dropLast() : bytes[...], as: UTF8.self))
            return
        }
        lock.withLock { _ in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { return }
                    offset += n
                }
            }
        }
    }
}
