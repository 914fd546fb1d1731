import Glibc

/// Pending output of one connection: one contiguous byte buffer (so pipelined responses
/// leave in as few `send` calls as possible) plus file bodies spliced in at byte
/// positions, sent with `sendfile` so they never pass through memory.
struct HTTPOutputBuffer {
    private struct FilePiece {
        /// Position in `bytes` where this file's data goes.
        var at: Int
        var fd: Int32
        var offset: Int
        var remaining: Int
    }

    enum Result: Equatable {
        case drained
        /// The socket is full; `progressed` if some bytes went out before it filled.
        case blocked(progressed: Bool)
        case failed
    }

    private(set) var bytes: [UInt8] = []
    private var sent = 0
    private var files: [FilePiece] = []
    /// Idle connections should not keep a large buffer around.
    private let retainedCapacity = 64 * 1024

    var isEmpty: Bool { sent == bytes.count && files.isEmpty }

    mutating func append(_ data: [UInt8]) {
        bytes.append(contentsOf: data)
    }

    mutating func withBytes<T>(_ body: (inout [UInt8]) -> T) -> T {
        body(&bytes)
    }

    /// Splices `length` bytes of the open file `fd` at the current end; takes ownership
    /// of `fd`.
    mutating func appendFile(fd: Int32, offset: Int, length: Int) {
        files.append(FilePiece(at: bytes.count, fd: fd, offset: offset, remaining: length))
    }

    /// Writes as much as the socket takes.
    mutating func write(to socket: Int32, fileChunk: Int) -> Result {
        var progressed = false
        while true {
            let limit = files.first?.at ?? bytes.count
            if sent < limit {
                let n = bytes.withUnsafeBytes { raw in
                    send(socket, raw.baseAddress! + sent, limit - sent, Int32(MSG_NOSIGNAL))
                }
                if n > 0 { sent += n; progressed = true; continue }
                if n < 0 && errno == EINTR { continue }
                if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return .blocked(progressed: progressed) }
                return .failed
            }
            if var file = files.first {
                if file.remaining == 0 {
                    _ = close(file.fd)
                    files.removeFirst()
                    continue
                }
                var offset = off_t(file.offset)
                let n = sendfile(socket, file.fd, &offset, min(file.remaining, fileChunk))
                if n > 0 {
                    file.offset += n
                    file.remaining -= n
                    files[0] = file
                    progressed = true
                    continue
                }
                if n < 0 && errno == EINTR { continue }
                if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return .blocked(progressed: progressed) }
                // 0 means the file shrank under us: the promised length cannot be kept.
                return .failed
            }
            if bytes.capacity > retainedCapacity {
                bytes = []
            } else {
                bytes.removeAll(keepingCapacity: true)
            }
            sent = 0
            return .drained
        }
    }

    /// Closes any file still open (the connection is going away).
    mutating func discard() {
        for file in files { _ = close(file.fd) }
        files.removeAll()
        bytes = []
        sent = 0
    }
}
