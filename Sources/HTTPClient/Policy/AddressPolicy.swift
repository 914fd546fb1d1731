/// Which destinations a client may connect to — the defence against server-side
/// request forgery for URLs chosen by someone else (image URLs in callbacks).
///
/// A pure value: every check is a function of its inputs, so it is unit-tested on
/// addresses without sockets. The client checks the host name before resolution, then
/// EVERY resolved address, and connects to exactly the checked `sockaddr` (no second
/// lookup, so DNS rebinding cannot slip a different address in).
///
/// Through an HTTP proxy the same holds: the client resolves and checks the target
/// itself and asks the proxy for a tunnel to the checked address, never to the name.
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
        // "127.0.0.1." is the same address as "127.0.0.1" to a resolver.
        if let literal = IPAddress(Self.normalizedHost(host)) { try check(address: literal) }
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
        // the same host; a 6to4 or Teredo spelling reaches a relay, not that host.
        if let embedded = EmbeddedIPv4(address), embedded.reachesEmbeddedHost {
            return embedded.addresses.allSatisfy { inner in allowNetworks.contains { $0.contains(inner) } }
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

    /// Why an address is not a globally reachable unicast destination, or nil when it
    /// is. An allow-list, not a deny-list: whatever the IANA special-purpose registries
    /// (and, for IPv6, the address-space registry's 2000::/3) do not mark globally
    /// reachable is refused, so a block missing from a hand-written list cannot slip
    /// through. Every IPv6 form that carries an IPv4 address is unwrapped and the
    /// carried address judged by the IPv4 rules.
    public static func refusalReason(for address: IPAddress) -> String? {
        let entry = SpecialPurposeRegistry.mostSpecific(containing: address)
        if address.isIPv4 {
            guard let entry, !entry.globallyReachable else { return nil }
            return entry.name
        }
        if let embedded = EmbeddedIPv4(address) {
            for inner in embedded.addresses {
                if let why = refusalReason(for: inner) {
                    return "\(embedded.formName) embedding \(inner), which is \(why)"
                }
            }
            switch embedded {
            // Judged entirely by what they carry: the registry's own entry for these
            // blocks describes the form, not a destination class.
            case .mapped, .nat64, .sixToFour, .teredo: return nil
            // Deprecated or operator-defined embeddings are refused whatever they carry.
            case .compatible, .localNAT64: break
            }
        }
        if let entry {
            return entry.globallyReachable ? nil : entry.name
        }
        if !SpecialPurposeRegistry.ipv6GlobalUnicast.network.contains(address) {
            return "outside the IPv6 global unicast space (2000::/3)"
        }
        return nil
    }
}
