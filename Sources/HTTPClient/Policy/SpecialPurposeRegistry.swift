/// The IANA IPv4 and IPv6 special-purpose address registries (RFC 6890 and the
/// registrations since), plus the few blocks outside them that are not unicast or not
/// global (multicast, deprecated site-local, IPv6 space outside 2000::/3).
///
/// A destination is judged by the MOST SPECIFIC matching entry, because the registry
/// nests: 192.0.0.0/24 is not reachable, yet 192.0.0.9/32 inside it is.
enum SpecialPurposeRegistry {
    static let ipv4: [SpecialPurposeRange] = [
        .init("0.0.0.0/8", "\"this network\" (RFC 791)"),
        .init("0.0.0.0/32", "\"this host on this network\" (RFC 1122)"),
        .init("10.0.0.0/8", "private-use (RFC 1918)"),
        .init("100.64.0.0/10", "shared address space, carrier-grade NAT (RFC 6598)"),
        .init("127.0.0.0/8", "loopback (RFC 1122)"),
        .init("169.254.0.0/16", "link-local (RFC 3927)"),
        .init("172.16.0.0/12", "private-use (RFC 1918)"),
        .init("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
        .init("192.0.0.0/29", "IPv4 service continuity prefix (RFC 7335)"),
        .init("192.0.0.8/32", "IPv4 dummy address (RFC 7600)"),
        .init("192.0.0.9/32", "port control protocol anycast (RFC 7723)", global: true),
        .init("192.0.0.10/32", "TURN anycast (RFC 8155)", global: true),
        .init("192.0.0.170/32", "NAT64/DNS64 discovery (RFC 8880)"),
        .init("192.0.0.171/32", "NAT64/DNS64 discovery (RFC 8880)"),
        .init("192.0.2.0/24", "documentation, TEST-NET-1 (RFC 5737)"),
        .init("192.31.196.0/24", "AS112-v4 (RFC 7535)", global: true),
        .init("192.52.193.0/24", "AMT (RFC 7450)", global: true),
        .init("192.88.99.0/24", "deprecated 6to4 relay anycast (RFC 7526)"),
        .init("192.88.99.2/32", "6a44 relay anycast (RFC 6751)"),
        .init("192.168.0.0/16", "private-use (RFC 1918)"),
        .init("192.175.48.0/24", "direct delegation AS112 service (RFC 7534)", global: true),
        .init("198.18.0.0/15", "benchmarking (RFC 2544)"),
        .init("198.51.100.0/24", "documentation, TEST-NET-2 (RFC 5737)"),
        .init("203.0.113.0/24", "documentation, TEST-NET-3 (RFC 5737)"),
        .init("240.0.0.0/4", "reserved (RFC 1112)"),
        .init("255.255.255.255/32", "the limited broadcast address (RFC 919)"),
        // Not in the special-purpose registry but never a unicast destination.
        .init("224.0.0.0/4", "multicast (RFC 5771)"),
    ]

    static let ipv6: [SpecialPurposeRange] = [
        .init("::1/128", "loopback (RFC 4291)"),
        .init("::/128", "unspecified (RFC 4291)"),
        .init("::ffff:0:0/96", "IPv4-mapped (RFC 4291)"),
        .init("64:ff9b::/96", "IPv4-IPv6 translation (RFC 6052)", global: true),
        .init("64:ff9b:1::/48", "local-use IPv4-IPv6 translation (RFC 8215)"),
        .init("100::/64", "discard-only (RFC 6666)"),
        .init("100:0:0:1::/64", "dummy IPv6 prefix (RFC 9780)"),
        .init("2001::/23", "IETF protocol assignments (RFC 2928)"),
        .init("2001::/32", "Teredo (RFC 4380)"),
        .init("2001:1::1/128", "port control protocol anycast (RFC 7723)", global: true),
        .init("2001:1::2/128", "TURN anycast (RFC 8155)", global: true),
        .init("2001:1::3/128", "DNS-SD service registration protocol anycast (RFC 9665)", global: true),
        .init("2001:2::/48", "benchmarking (RFC 5180)"),
        .init("2001:3::/32", "AMT (RFC 7450)", global: true),
        .init("2001:4:112::/48", "AS112-v6 (RFC 7535)", global: true),
        .init("2001:10::/28", "deprecated ORCHID (RFC 4843)"),
        .init("2001:20::/28", "ORCHIDv2 (RFC 7343)", global: true),
        .init("2001:30::/28", "drone remote ID entity tags (RFC 9374)", global: true),
        .init("2001:db8::/32", "documentation (RFC 3849)"),
        .init("2002::/16", "6to4 (RFC 3056)"),
        .init("2620:4f:8000::/48", "direct delegation AS112 service (RFC 7534)", global: true),
        .init("3fff::/20", "documentation (RFC 9637)"),
        .init("5f00::/16", "segment routing SIDs (RFC 9602)"),
        .init("fc00::/7", "unique-local (RFC 4193)"),
        .init("fe80::/10", "link-local unicast (RFC 4291)"),
        // Outside the special-purpose registry: the IPv6 address-space registry's
        // non-unicast and retired blocks, and IPv4-compatible addresses.
        .init("::/96", "IPv4-compatible (deprecated, RFC 4291)"),
        .init("fec0::/10", "site-local (deprecated, RFC 3879)"),
        .init("ff00::/8", "multicast (RFC 4291)"),
    ]

    /// Global unicast space (IANA IPv6 address space registry); anything outside it
    /// that no entry above names is unassigned or reserved.
    static let ipv6GlobalUnicast = SpecialPurposeRange("2000::/3", "global unicast", global: true)

    /// The longest-prefix entry containing the address, or nil when none does.
    static func mostSpecific(containing address: IPAddress) -> SpecialPurposeRange? {
        let table = address.isIPv4 ? ipv4 : ipv6
        var best: SpecialPurposeRange?
        for entry in table where entry.network.contains(address) {
            if best.map({ entry.network.prefixLength > $0.network.prefixLength }) ?? true { best = entry }
        }
        return best
    }
}
