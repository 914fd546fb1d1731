import Testing
@testable import HTTPClient

/// The address policy checked against the IANA registries themselves. The tables below
/// are copied from the registries (iana.org/assignments/iana-ipv4-special-registry and
/// iana-ipv6-special-registry, "Globally Reachable" column; N/A written as nil), not
/// from the code, so a block the code forgets fails here.
@Suite struct SpecialPurposeRegistryTests {
    struct Entry: Sendable, CustomTestStringConvertible {
        let cidr: String
        let globallyReachable: Bool?
        init(_ cidr: String, _ globallyReachable: Bool?) {
            self.cidr = cidr
            self.globallyReachable = globallyReachable
        }
        var testDescription: String { cidr }
        var network: IPNetwork { IPNetwork(cidr)! }
    }

    static let ipv4Registry: [Entry] = [
        .init("0.0.0.0/8", false), .init("0.0.0.0/32", false), .init("10.0.0.0/8", false),
        .init("100.64.0.0/10", false), .init("127.0.0.0/8", false), .init("169.254.0.0/16", false),
        .init("172.16.0.0/12", false), .init("192.0.0.0/24", false), .init("192.0.0.0/29", false),
        .init("192.0.0.8/32", false), .init("192.0.0.9/32", true), .init("192.0.0.10/32", true),
        .init("192.0.0.170/32", false), .init("192.0.0.171/32", false), .init("192.0.2.0/24", false),
        .init("192.31.196.0/24", true), .init("192.52.193.0/24", true), .init("192.88.99.0/24", false),
        .init("192.88.99.2/32", false), .init("192.168.0.0/16", false), .init("192.175.48.0/24", true),
        .init("198.18.0.0/15", false), .init("198.51.100.0/24", false), .init("203.0.113.0/24", false),
        .init("240.0.0.0/4", false), .init("255.255.255.255/32", false),
        // IANA IPv4 multicast address space registry: never a unicast destination.
        .init("224.0.0.0/4", false),
    ]

    static let ipv6Registry: [Entry] = [
        .init("::1/128", false), .init("::/128", false), .init("::ffff:0:0/96", false),
        .init("64:ff9b::/96", true), .init("64:ff9b:1::/48", false), .init("100::/64", false),
        .init("100:0:0:1::/64", false), .init("2001::/23", false), .init("2001::/32", nil),
        .init("2001:1::1/128", true), .init("2001:1::2/128", true), .init("2001:1::3/128", true),
        .init("2001:2::/48", false), .init("2001:3::/32", true), .init("2001:4:112::/48", true),
        .init("2001:10::/28", false), .init("2001:20::/28", true), .init("2001:30::/28", true),
        .init("2001:db8::/32", false), .init("2002::/16", nil), .init("2620:4f:8000::/48", true),
        .init("3fff::/20", false), .init("5f00::/16", false), .init("fc00::/7", false),
        .init("fe80::/10", false),
        // IANA IPv6 address space registry: multicast, and space outside 2000::/3.
        .init("ff00::/8", false), .init("fec0::/10", false), .init("4000::/2", false),
        .init("::/8", false), .init("e000::/4", false),
    ]

    /// Blocks whose verdict is the verdict on the IPv4 they carry (covered by
    /// `everyEmbeddingIsJudgedAsIPv4`).
    static let judgedByEmbeddedIPv4: Set<String> = ["::ffff:0:0/96", "64:ff9b::/96", "2002::/16", "2001::/32"]

    static func first(_ n: IPNetwork) -> IPAddress { bound(n, fill: 0) }
    static func last(_ n: IPNetwork) -> IPAddress { bound(n, fill: 0xff) }
    static func bound(_ n: IPNetwork, fill: UInt8) -> IPAddress {
        var bytes = n.address.bytes
        for bit in n.prefixLength..<(bytes.count * 8) {
            let mask = UInt8(0x80) >> UInt8(bit % 8)
            bytes[bit / 8] = fill == 0 ? bytes[bit / 8] & ~mask : bytes[bit / 8] | mask
        }
        return IPAddress(bytes: bytes)!
    }

    /// The registry's verdict: the most specific entry containing the address decides;
    /// an address no entry names is global unicast (IPv6 only inside 2000::/3, which
    /// the table's last rows encode).
    static func expectedAllowed(_ a: IPAddress, in table: [Entry]) -> Bool {
        let matches = table.filter { $0.network.contains(a) }
        guard let best = matches.max(by: { $0.network.prefixLength < $1.network.prefixLength }) else { return true }
        return best.globallyReachable == true
    }

    static func verdict(_ a: IPAddress) -> Bool {
        (try? AddressPolicy.strict.check(address: a)) != nil
    }

    @Test(arguments: ipv4Registry)
    func everyIPv4EntryIsJudgedAsTheRegistrySays(_ entry: Entry) {
        for probe in [Self.first(entry.network), Self.last(entry.network)] {
            #expect(Self.verdict(probe) == Self.expectedAllowed(probe, in: Self.ipv4Registry), "\(probe) in \(entry.cidr)")
        }
    }

    @Test(arguments: ipv6Registry.filter { !judgedByEmbeddedIPv4.contains($0.cidr) })
    func everyIPv6EntryIsJudgedAsTheRegistrySays(_ entry: Entry) {
        for probe in [Self.first(entry.network), Self.last(entry.network)] {
            #expect(Self.verdict(probe) == Self.expectedAllowed(probe, in: Self.ipv6Registry), "\(probe) in \(entry.cidr)")
        }
    }

    /// The IPv6 spellings that carry an IPv4 address, built here from the RFCs' layouts.
    static func embeddings(of v4: IPAddress) -> [(form: String, address: IPAddress, followsIPv4: Bool)] {
        let b = v4.bytes
        let g: [UInt8] = [8, 8, 8, 8]  // a global IPv4 for the other Teredo half
        func v6(_ bytes: [UInt8]) -> IPAddress { IPAddress(bytes: bytes)! }
        return [
            ("mapped", v6(Array(repeating: 0, count: 10) + [0xff, 0xff] + b), true),
            ("NAT64", v6([0, 0x64, 0xff, 0x9b] + Array(repeating: 0, count: 8) + b), true),
            ("6to4", v6([0x20, 0x02] + b + Array(repeating: 0, count: 9) + [1]), true),
            ("Teredo server", v6([0x20, 0x01, 0, 0] + b + [0, 0, 0, 0] + g.map { ~$0 }), true),
            ("Teredo client", v6([0x20, 0x01, 0, 0] + g + [0, 0, 0, 0] + b.map { ~$0 }), true),
            // Deprecated / operator-defined forms: refused whatever they carry.
            ("compatible", v6(Array(repeating: 0, count: 12) + b), false),
            ("local NAT64", v6([0, 0x64, 0xff, 0x9b, 0, 1] + Array(repeating: 0, count: 6) + b), false),
        ]
    }

    @Test(arguments: ipv4Registry)
    func everyEmbeddingIsJudgedAsIPv4(_ entry: Entry) {
        for probe in [Self.first(entry.network), Self.last(entry.network)] {
            let expected = Self.expectedAllowed(probe, in: Self.ipv4Registry)
            for (form, address, follows) in Self.embeddings(of: probe) {
                #expect(Self.verdict(address) == (follows && expected), "\(form) \(address) carrying \(probe)")
            }
        }
    }

    @Test func globalAddressesInEveryEmbeddingAreAllowedWhereTheFormReachesThem() {
        let global = IPAddress("93.184.215.14")!
        for (form, address, follows) in Self.embeddings(of: global) {
            #expect(Self.verdict(address) == follows, "\(form) \(address)")
        }
        #expect(Self.verdict(IPAddress("2606:4700:4700::1111")!))
        #expect(Self.verdict(IPAddress("8.8.8.8")!))
    }

    @Test func teredoClientIsDeobfuscated() throws {
        // RFC 4380 §4 example: server 65.54.227.120, client 192.0.2.45 (documentation).
        let teredo = try #require(IPAddress("2001:0:4136:e378:8000:63bf:3fff:fdd2"))
        #expect(EmbeddedIPv4(teredo) == .teredo(server: IPAddress("65.54.227.120")!, client: IPAddress("192.0.2.45")!))
        let why = try #require(AddressPolicy.refusalReason(for: teredo))
        #expect(why.contains("192.0.2.45") && why.contains("documentation"))
    }

    @Test func allowListOverridesTheRegistryIncludingMappedForms() throws {
        let policy = AddressPolicy(allowNetworks: [IPNetwork("198.18.0.0/15")!, IPNetwork("2001:db8::/32")!])
        try policy.check(address: IPAddress("198.18.0.1")!)
        try policy.check(address: IPAddress("::ffff:198.19.255.255")!)
        try policy.check(address: IPAddress("2001:db8::5")!)
        // A 6to4 spelling reaches a relay, not the allowed host: still refused.
        #expect(throws: HTTPClientError.self) { try policy.check(address: IPAddress("2002:c612:1::1")!) }
        #expect(throws: HTTPClientError.self) { try policy.check(address: IPAddress("10.0.0.1")!) }
    }
}
