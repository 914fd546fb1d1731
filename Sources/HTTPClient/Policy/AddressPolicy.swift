/// Which destinations a client may connect to — the defence against server-side
/// request forgery for URLs chosen by someone else (image URLs in callbacks).
///
/// A pure value: every check is a function of its inputs, so it is unit-tested on
/// addresses without sockets. The client checks the host name before resolution, then
/// EVERY resolved address, and connects to exactly the checked `sockaddr` (no second
/// lookup, so DNS rebinding cannot slip a different address in).
///
/// Through an HTTP proxy the proxy resolves the name, so only the host allow-list, the
/// port list and IP-literal targets can be checked; a proxied deployment relies on the
/// proxy's own egress rules for names that resolve to internal addresses.
public struct AddressPolicy: Sendable, Hashable {
    /// When false, any address and port is allowed (the provider API: a trusted,
    /// configured host, possibly reached through internal networks).
    public var restrictAddresses: Bool
    /// CIDR exceptions to the refused ranges (config `download_allow_networks`; tests
    /// use 127.0.0.0/8).
    public var allowNetworks: [IPNetwork]
    /// If set, only these host names: exact ("cdn.example.com") or "*.suffix" (any
    /// subdomain of suffix, not suffix itself). Case-insensitive.
    public var allowedHosts: [String]?
    /// If set, only these ports (default 80 and 443 for downloads).
    public var allowedPorts: Set<Int>?

    public init(restrictAddresses: Bool = true, allowNetworks: [IPNetwork] = [],
                allowedHosts: [String]? = nil, allowedPorts: Set<Int>? = [80, 443]) {
        self.restrictAddresses = restrictAddresses
        self.allowNetworks = allowNetworks
        self.allowedHosts = allowedHosts
        self.allowedPorts = allowedPorts
    }

    /// For untrusted URLs: public unicast addresses on ports 80/443 only.
    public static let strict = AddressPolicy()
    /// For a configured, trusted endpoint: no address or port restriction.
    public static let trusted = AddressPolicy(restrictAddresses: false, allowedPorts: nil)

    /// Checks what is known before resolution: host allow-list, port, and the address
    /// itself when the host is an IP literal.
    public func check(host: String, port: Int) throws(HTTPClientError) {
        if let allowedPorts, !allowedPorts.contains(port) {
            throw .refusedByPolicy("port \(port) is not allowed")
        }
        if let allowedHosts, !Self.hostMatches(host, allowedHosts) {
            throw .refusedByPolicy("host \(host) is not on the allowed host list")
        }
        if let literal = IPAddress(host) { try check(address: literal) }
    }

    /// Checks one resolved (or literal) address.
    public func check(address: IPAddress) throws(HTTPClientError) {
        guard restrictAddresses else { return }
        if isExplicitlyAllowed(address) { return }
        if let why = Self.refusalReason(for: address) {
            throw .refusedByPolicy("\(address) is \(why)")
        }
    }

    func isExplicitlyAllowed(_ address: IPAddress) -> Bool {
        if allowNetworks.contains(where: { $0.contains(address) }) { return true }
        // An allowed IPv4 network also covers its mapped/NAT64 spelling, which reaches
        // the same host.
        if let inner = address.embeddedIPv4 {
            return allowNetworks.contains { $0.contains(inner) }
        }
        return false
    }

    static func hostMatches(_ host: String, _ patterns: [String]) -> Bool {
        let h = Self.normalizedHost(host)
        return patterns.contains { raw in
            let p = Self.normalizedHost(raw)
            if p.hasPrefix("*.") { return h.hasSuffix(String(p.dropFirst(1))) }
            return h == p
        }
    }

    static func normalizedHost(_ host: String) -> String {
        var h = host.lowercased()
        while h.hasSuffix(".") { h.removeLast() }
        return h
    }

    /// Why an address is not a public unicast destination, or nil when it is.
    /// Ranges from the IANA special-purpose registries (RFC 6890 and successors).
    public static func refusalReason(for address: IPAddress) -> String? {
        if address.isIPv4 { return refusalReasonIPv4(address) }
        for (network, why) in refusedIPv6 where network.contains(address) { return why }
        if let inner = address.embeddedIPv4, let why = refusalReasonIPv4(inner) {
            return "an IPv6 form embedding \(inner), which is \(why)"
        }
        return nil
    }

    static func refusalReasonIPv4(_ address: IPAddress) -> String? {
        if address.bytes == [255, 255, 255, 255] { return "the broadcast address" }
        for (network, why) in refusedIPv4 where network.contains(address) { return why }
        return nil
    }

    private static func net(_ s: String) -> IPNetwork {
        guard let n = IPNetwork(s) else { preconditionFailure("bad built-in CIDR \(s)") }
        return n
    }

    static let refusedIPv4: [(IPNetwork, String)] = [
        (net("0.0.0.0/8"), "unspecified (\"this network\", RFC 791)"),
        (net("10.0.0.0/8"), "private (RFC 1918)"),
        (net("100.64.0.0/10"), "carrier-grade NAT (RFC 6598)"),
        (net("127.0.0.0/8"), "loopback"),
        (net("169.254.0.0/16"), "link-local (RFC 3927)"),
        (net("172.16.0.0/12"), "private (RFC 1918)"),
        (net("192.168.0.0/16"), "private (RFC 1918)"),
        (net("224.0.0.0/4"), "multicast"),
        (net("240.0.0.0/4"), "reserved (RFC 1112)"),
    ]

    static let refusedIPv6: [(IPNetwork, String)] = [
        (net("::/128"), "unspecified"),
        (net("::1/128"), "loopback"),
        (net("fe80::/10"), "link-local"),
        (net("fec0::/10"), "site-local (deprecated, RFC 3879)"),
        (net("fc00::/7"), "unique-local (RFC 4193)"),
        (net("ff00::/8"), "multicast"),
        // Local-use NAT64 (RFC 8215): the embedding depends on the operator's prefix
        // length, so the embedded IPv4 cannot be recovered reliably; refuse it whole.
        (net("64:ff9b:1::/48"), "local-use NAT64 (RFC 8215)"),
        // IPv4-compatible addresses (deprecated, RFC 4291 §2.5.5.1) also embed IPv4.
        (net("::/96"), "IPv4-compatible (deprecated)"),
    ]
}
