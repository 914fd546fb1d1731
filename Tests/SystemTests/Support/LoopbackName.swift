import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A host name that resolves to a loopback address and that a provider-mode daemon
/// accepts in its callback URL. The daemon refuses `localhost` and IP literals in
/// internal ranges there (the provider would refuse them too), so the callback front is
/// reached by name: the machine's own name or another /etc/hosts alias of 127.x.
enum LoopbackName {
    static func find() throws -> (name: String, address: String) {
        var candidates = [ProcessInfo.processInfo.hostName]
        let hosts = (try? String(contentsOfFile: "/etc/hosts", encoding: .utf8)) ?? ""
        for line in hosts.split(separator: "\n") where line.hasPrefix("127.") {
            candidates += line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().map(String.init)
        }
        for name in candidates where acceptable(name) {
            if let address = resolveIPv4(name), address.hasPrefix("127.") { return (name, address) }
        }
        throw SystemFailure("""
            no host name resolves to 127.x other than localhost (looked at the host name and /etc/hosts: \
            \(candidates)); the daemon refuses localhost and loopback literals in its callback URL. \
            Add e.g. `127.0.0.1 imagehook-test` to /etc/hosts.
            """)
    }

    /// Not `localhost`, not an IP literal, no numeric final label (the daemon's rules).
    static func acceptable(_ name: String) -> Bool {
        let lower = name.lowercased()
        guard !lower.isEmpty, !lower.hasPrefix("#"), lower != "localhost", !lower.hasSuffix(".localhost") else { return false }
        guard let last = lower.split(separator: ".").last, !last.allSatisfy(\.isNumber), !last.hasPrefix("0x") else { return false }
        return lower.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x2E }
    }

    static func resolveIPv4(_ name: String) -> String? {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &result) == 0, let first = result else { return nil }
        defer { freeaddrinfo(result) }
        guard let sa = first.pointee.ai_addr else { return nil }
        return sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin -> String? in
            var addr = sin.pointee.sin_addr
            var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            guard inet_ntop(AF_INET, &addr, &buffer, socklen_t(INET_ADDRSTRLEN)) != nil else { return nil }
            let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
