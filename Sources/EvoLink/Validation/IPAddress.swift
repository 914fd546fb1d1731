#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP literal as 4 or 16 bytes, with the ranges a callback must not reach.
public struct IPAddress: Sendable, Hashable {
    public var bytes: [UInt8]

    /// Strict dotted-quad IPv4 (inet_pton refuses short and octal forms).
    public init?(v4 text: String) {
        var a = in_addr()
        guard inet_pton(AF_INET, text, &a) == 1 else { return nil }
        bytes = withUnsafeBytes(of: &a) { Array($0) }
    }

    public init?(v6 text: String) {
        var a = in6_addr()
        // Zone ids (`fe80::1%eth0`) are link-local anyway; strip before parsing.
        let bare = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
        guard inet_pton(AF_INET6, bare, &a) == 1 else { return nil }
        bytes = withUnsafeBytes(of: &a) { Array($0) }
    }

    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Loopback, private (RFC 1918), link-local, CGNAT (RFC 6598), unspecified,
    /// multicast, reserved, and their IPv6 counterparts (ULA fc00::/7, fe80::/10,
    /// IPv4-mapped and NAT64 forms of internal IPv4). Seed: "Callback to internal IP
    /// addresses is prohibited (127.0.0.1, 10.x.x.x, 172.16-31.x.x, 192.168.x.x, etc.)".
    public var isInternal: Bool {
        if bytes.count == 4 { return Self.isInternalV4(bytes) }
        guard bytes.count == 16 else { return true }
        let b = bytes
        if b.allSatisfy({ $0 == 0 }) { return true }                          // ::
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return true }    // ::1
        if b[0] & 0xFE == 0xFC { return true }                                // fc00::/7
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return true }                // fe80::/10
        if b[0] == 0xFE && b[1] & 0xC0 == 0xC0 { return true }                // fec0::/10 (deprecated site-local)
        if b[0] == 0xFF { return true }                                       // multicast
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF {
            return Self.isInternalV4(Array(b[12..<16]))                       // ::ffff:a.b.c.d
        }
        if b[0..<12].allSatisfy({ $0 == 0 }) { return Self.isInternalV4(Array(b[12..<16])) } // ::a.b.c.d
        if b[0...3] == [0x00, 0x64, 0xFF, 0x9B] && b[4..<12].allSatisfy({ $0 == 0 }) {
            return Self.isInternalV4(Array(b[12..<16]))                       // 64:ff9b::/96
        }
        return false
    }

    static func isInternalV4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): return true
        case (100, 64...127): return true        // CGNAT 100.64.0.0/10
        case (169, 254): return true             // link-local
        case (172, 16...31): return true
        case (192, 168): return true
        case (192, 0) where b[2] == 0: return true   // IETF protocol assignments
        case (198, 18...19): return true         // benchmarking
        case (224...255, _): return true         // multicast, reserved, broadcast
        default: return false
        }
    }
}
