import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Loopback sockets for picking ports and waiting for listeners.
enum Loopback {
    /// A port the kernel just handed out for `host` (bound to port 0, then closed), for
    /// a listener whose port must be known before it starts (nginx's configuration).
    static func freePort(host: String = "127.0.0.1") throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SystemFailure("socket(): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, host, &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw SystemFailure("bind(\(host):0): \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A free port below the kernel's ephemeral range, for a listener that must get the
    /// same port back after a restart: while the daemon is down, an outgoing connection
    /// could be handed an ephemeral-range port as its local port and make the re-bind
    /// fail. Falls back to `freePort()` when the range leaves no room below it.
    static func restartablePort(host: String = "127.0.0.1") throws -> Int {
        let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let low = range.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { Int($0) } ?? 0
        guard low > 11_000 else { return try freePort(host: host) }
        for _ in 0..<100 {
            let port = Int.random(in: 10_000..<low)
            if canBind(host: host, port: port) { return port }
        }
        return try freePort(host: host)
    }

    static func canBind(host: String, port: Int) -> Bool {
        guard let fd = listener(host: host, port: port, listen: false) else { return false }
        close(fd)
        return true
    }

    /// A socket bound to host:port (and listening when asked), or nil; the caller closes it.
    static func listener(host: String = "127.0.0.1", port: Int, listen shouldListen: Bool = true) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard bound, !shouldListen || listen(fd, 8) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// True once a TCP connect to host:port succeeds (bounded).
    static func waitUntilListening(host: String, port: Int, timeout: Double) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if canConnect(host: host, port: port) { return true }
            usleep(20_000)
        }
        return false
    }

    static func canConnect(host: String, port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
