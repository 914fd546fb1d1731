import Foundation
import Synchronization
@testable import HTTPClient

/// A DNS server on 127.0.0.1 (UDP) that receives every query and never answers, and
/// a `HostLookup` pointed at it: it sends a real query there and waits for a reply
/// that never comes (bounded by `replyTimeout`), as a stub resolver stuck on a dead
/// server does. Counts lookups in flight and the most seen at once.
final class SilentDNSServer: Sendable {
    let port: Int
    private let fd: Int32
    let inFlight = Atomic<Int>(0)
    let mostInFlight = Atomic<Int>(0)
    let started = Atomic<Int>(0)

    init() throws {
        let s = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard s >= 0 else { throw TestFailure("udp socket") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, len) } }
        guard rc == 0 else { close(s); throw TestFailure("udp bind") }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) } }
        fd = s
        port = Int(UInt16(bigEndian: addr.sin_port))
    }

    deinit { close(fd) }

    func lookup(replyTimeout: Int = 20) -> HostLookup {
        HostLookup { [self] host in
            started.add(1, ordering: .relaxed)
            let now = inFlight.add(1, ordering: .relaxed).newValue
            var seen = mostInFlight.load(ordering: .relaxed)
            while now > seen, !mostInFlight.compareExchange(expected: seen, desired: now, ordering: .relaxed).exchanged {
                seen = mostInFlight.load(ordering: .relaxed)
            }
            defer { inFlight.subtract(1, ordering: .relaxed) }
            let client = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            defer { close(client) }
            var tv = timeval(tv_sec: replyTimeout, tv_usec: 0)
            _ = setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            var to = sockaddr_in()
            to.sin_family = sa_family_t(AF_INET)
            to.sin_addr.s_addr = inet_addr("127.0.0.1")
            to.sin_port = in_port_t(UInt16(port).bigEndian)
            let query = Self.query(for: host)
            _ = query.withUnsafeBytes { raw in
                withUnsafePointer(to: &to) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(client, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
            var reply = [UInt8](repeating: 0, count: 512)
            let n = recv(client, &reply, reply.count, 0)
            return .failure(.dns(n < 0 ? "\(host): no answer from 127.0.0.1:\(port)" : "\(host): unexpected answer"))
        }
    }

    /// A standard A query (RFC 1035 §4.1): header, QNAME labels, QTYPE 1, QCLASS 1.
    static func query(for host: String) -> [UInt8] {
        var q: [UInt8] = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in host.split(separator: ".") {
            q.append(UInt8(min(label.utf8.count, 63)))
            q += label.utf8.prefix(63)
        }
        q += [0, 0, 1, 0, 1]
        return q
    }
}
