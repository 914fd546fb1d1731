#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A CIDR block (`10.0.0.0/8`, `fd00::/8`) as written in `download_allow_networks` and
/// `trusted_proxies`. Validated here so a typo is reported with its line instead of
/// silently allowing nothing (or everything).
public struct NetworkPrefix: Sendable, Equatable, CustomStringConvertible {
    public var address: String
    public var length: Int
    public var isIPv6: Bool

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let ipv6 = text.contains(":")
        let maxLength = ipv6 ? 128 : 32
        guard parts.count <= 2 else { return nil }
        let address = String(parts[0])
        guard ListenAddress.isLiteral(address, ipv6: ipv6) else { return nil }
        var length = maxLength
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].count <= 3, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                  let n = Int(parts[1]), n <= maxLength else { return nil }
            length = n
        }
        self.address = address
        self.length = length
        self.isIPv6 = ipv6
    }

    public var description: String { "\(address)/\(length)" }

    /// Whether `host` (an IP literal) lies inside this block.
    public func contains(_ host: String) -> Bool {
        guard let net = NetworkPrefix.bytes(address, ipv6: isIPv6),
              let ip = NetworkPrefix.bytes(host, ipv6: isIPv6) else { return false }
        var remaining = length
        for (a, b) in zip(net, ip) {
            if remaining <= 0 { return true }
            let bits = min(8, remaining)
            let mask: UInt8 = bits == 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if a & mask != b & mask { return false }
            remaining -= bits
        }
        return true
    }

    static func bytes(_ host: String, ipv6: Bool) -> [UInt8]? {
        guard ListenAddress.isLiteral(host, ipv6: ipv6) else { return nil }
        var storage = [UInt8](repeating: 0, count: 16)
        _ = host.withCString { inet_pton(ipv6 ? AF_INET6 : AF_INET, $0, &storage) }
        return Array(storage.prefix(ipv6 ? 16 : 4))
    }
}
