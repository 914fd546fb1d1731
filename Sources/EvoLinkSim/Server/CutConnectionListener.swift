#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Support

/// A deliberately broken HTTP/1.1 responder for the `cut_connection` image fault: it
/// announces the full `Content-Length`, sends half the body and closes, so a client
/// sees a transport-level truncation (RFC 9112 §8: an incomplete message), which the
/// regular server never produces. Blocking sockets on its own thread; loopback use only.
final class CutConnectionListener: @unchecked Sendable {
    /// Longest request head read before giving up on a peer.
    static let maxHeadBytes = 16 * 1024
    /// Seconds a peer may take to send its request head.
    static let readTimeout = 5

    private let fd: Int32
    let port: Int
    private let closed = Locked(false)
    private let bytesFor: @Sendable (_ path: String) -> [UInt8]?

    /// Binds `host` on an ephemeral port. `bytesFor` maps a request path to the full
    /// image, or nil for 404.
    init(host: String, bytesFor: @escaping @Sendable (String) -> [UInt8]?) throws(SimulatorError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST
        var list: UnsafeMutablePointer<addrinfo>?
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        guard getaddrinfo(bare, "0", &hints, &list) == 0, let info = list else {
            throw .listen("cut-connection listener: cannot resolve \(host)")
        }
        defer { freeaddrinfo(list) }
        let s = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard s >= 0 else { throw .listen("cut-connection listener: socket failed") }
        guard bind(s, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0, listen(s, 64) == 0 else {
            _ = close(s)
            throw .listen("cut-connection listener: bind/listen failed")
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &length) }
        }
        let rawPort: UInt16 = storage.ss_family == sa_family_t(AF_INET6)
            ? withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_port } }
            : withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port } }
        fd = s
        port = Int(UInt16(bigEndian: rawPort))
        self.bytesFor = bytesFor
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "evolink-sim.cut"
        thread.start()
    }

    func stop() {
        let wasClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        _ = shutdown(fd, Int32(SHUT_RDWR))
        _ = close(fd)
    }

    private var isClosed: Bool {
        closed.withLock { $0 }
    }

    private func acceptLoop() {
        while !isClosed {
            let c = accept(fd, nil, nil)
            if c < 0 {
                if errno == EINTR { continue }
                return
            }
            // Blocking reads and image rendering: a serial queue of its own keeps them
            // off the global queues, which on Linux are Swift's cooperative pool.
            DispatchQueue(label: "evolink-sim.cut").async { [self] in serve(c) }
        }
    }

    private func serve(_ c: Int32) {
        defer { _ = close(c) }
        var tv = timeval(tv_sec: Self.readTimeout, tv_usec: 0)
        _ = setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var head: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while head.count < Self.maxHeadBytes {
            let n = chunk.withUnsafeMutableBytes { recv(c, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return }
            head.append(contentsOf: chunk[0..<n])
            if String(decoding: head, as: UTF8.self).contains("\r\n\r\n") { break }
        }
        let line = String(decoding: head.prefix { $0 != 13 }, as: UTF8.self).split(separator: " ")
        guard line.count >= 2, line[0] == "GET" || line[0] == "HEAD", let image = bytesFor(String(line[1])) else {
            write(c, Array("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            return
        }
        write(c, Array("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: \(image.count)\r\nConnection: close\r\n\r\n".utf8))
        if line[0] == "GET" { write(c, Array(image.prefix(image.count / 2))) }
    }

    private func write(_ c: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }
}
