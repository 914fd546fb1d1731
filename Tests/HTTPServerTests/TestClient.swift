import Glibc
import HTTP1
import TestSupport

/// A raw blocking TCP client for byte-exact requests. Every receive is bounded by a
/// socket timeout, so no test can hang on a silent server. Blocking: async tests call
/// the receiving methods through `offPool`. Unchecked Sendable: each client is used by
/// one test, one call at a time (handed to a thread and awaited).
final class TestClient: @unchecked Sendable {
    let fd: Int32
    private var parser: HTTPResponseParser = {
        var limits = HTTPParserLimits()
        limits.maxBodyBytes = 64 * 1024 * 1024
        return HTTPResponseParser(limits: limits)
    }()
    private var pending: [UInt8] = []

    enum Failure: Error, CustomStringConvertible {
        case connect(Int32), send(Int32), timeout, closed, parse(HTTPParseError)
        var description: String {
            switch self {
            case .connect(let e): "connect failed, errno \(e)"
            case .send(let e): "send failed, errno \(e)"
            case .timeout: "timed out waiting for the server"
            case .closed: "server closed the connection"
            case .parse(let e): "bad response: \(e)"
            }
        }
    }

    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Connects to 127.0.0.1:`port` (or [::1]:`port`); `timeout` bounds each receive.
    init(port: Int, ipv6: Bool = false, timeout: Double = 5) throws {
        fd = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let rc: Int32
        if ipv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = UInt16(port).bigEndian
            address.sin6_addr = in6addr_loopback
            rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        if rc != 0 {
            let code = errno
            Glibc.close(fd)
            throw Failure.connect(code)
        }
    }

    deinit { Glibc.close(fd) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure.send(errno)
            }
            offset += n
        }
    }

    /// Raw bytes, up to `count`; empty at end of stream.
    func receive(upTo count: Int = 65536) throws -> [UInt8] {
        if !pending.isEmpty {
            let out = Array(pending.prefix(count))
            pending.removeFirst(out.count)
            return out
        }
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, count, 0) }
            if n >= 0 { return Array(buffer.prefix(n)) }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw Failure.timeout }
            return [] // reset: treated as closed
        }
    }

    /// Exactly `count` bytes (fails on close or timeout).
    func receive(exactly count: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        while out.count < count {
            let piece = try receive(upTo: count - out.count)
            if piece.isEmpty { throw Failure.closed }
            out += piece
        }
        return out
    }

    /// The next complete response. `method` tells the parser whether a body follows.
    func response(to method: String = "GET") throws -> Response {
        parser.setRequestMethod(method)
        var head: HTTPResponseHead?
        var body: [UInt8] = []
        while true {
            do {
                while let event = try parser.next() {
                    switch event {
                    case .head(let h): head = h
                    case .body(let b): body += b
                    case .end:
                        guard let head else { throw Failure.closed }
                        return Response(status: head.status, headers: head.headers, body: body)
                    }
                }
            } catch let error as HTTPParseError {
                throw Failure.parse(error)
            }
            let bytes = try receive()
            if bytes.isEmpty { throw Failure.closed }
            parser.append(contentsOf: bytes)
        }
    }

    /// Whether the server closes (EOF or reset) within the receive timeout, discarding
    /// anything that arrives first.
    func closedByServer() -> Bool {
        for _ in 0..<10_000 {
            guard let bytes = try? receive() else { return false }
            if bytes.isEmpty { return true }
        }
        return false
    }
}
