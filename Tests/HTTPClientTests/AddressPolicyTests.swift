import Testing
@testable import HTTPClient

@Suite struct AddressPolicyTests {
    static let refused: [String] = [
        "0.0.0.0", "0.1.2.3", "127.0.0.1", "127.255.255.254", "10.0.0.1", "10.255.255.255",
        "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "100.127.255.255", "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1",
        "::", "::1", "fe80::1", "febf::1", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1",
        // IPv4-mapped, NAT64 (well-known and local-use), 6to4 and IPv4-compatible forms.
        "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:0.0.0.0",
        "64:ff9b::a00:1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::808:808",
        "2002:a00:1::1", "2002:7f00:1::", "::a00:1",
    ]

    static let allowed: [String] = [
        "8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1", "100.63.255.255",
        "192.169.0.1", "223.255.255.255", "2606:4700:4700::1111", "2a00:1450::1",
        "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1",
    ]

    @Test(arguments: refused)
    func refusesEveryNonPublicClass(_ text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(AddressPolicy.refusalReason(for: address) != nil)
        #expect(throws: HTTPClientError.self) { try AddressPolicy.strict.check(address: address) }
        // The literal form through the host check is refused as well (port allowed).
        do {
            try AddressPolicy.strict.check(host: text, port: 443)
            Issue.record("\(text) was allowed")
        } catch {
            guard case .refusedByPolicy(let why) = error else { Issue.record("\(error)"); return }
            #expect(!why.isEmpty)
        }
    }

    @Test(arguments: allowed)
    func allowsPublicUnicast(_ text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(AddressPolicy.refusalReason(for: address) == nil)
        try AddressPolicy.strict.check(host: text, port: 443)
    }

    @Test func reasonsNameTheClass() throws {
        #expect(AddressPolicy.refusalReason(for: IPAddress("10.1.2.3")!)!.contains("private"))
        #expect(AddressPolicy.refusalReason(for: IPAddress("127.0.0.1")!)!.contains("loopback"))
        #expect(AddressPolicy.refusalReason(for: IPAddress("169.254.1.1")!)!.contains("link-local"))
        #expect(AddressPolicy.refusalReason(for: IPAddress("100.64.1.1")!)!.contains("carrier-grade NAT"))
        #expect(AddressPolicy.refusalReason(for: IPAddress("::ffff:10.0.0.1")!)!.contains("10.0.0.1"))
        #expect(AddressPolicy.refusalReason(for: IPAddress("64:ff9b::a00:1")!)!.contains("private"))
        #expect(AddressPolicy.refusalReason(for: IPAddress("255.255.255.255")!)!.contains("broadcast"))
    }

    @Test func allowNetworksOpenExceptionsIncludingMappedForms() throws {
        let policy = AddressPolicy(allowNetworks: [IPNetwork("127.0.0.0/8")!], allowedPorts: nil)
        try policy.check(address: IPAddress("127.0.0.1")!)
        try policy.check(address: IPAddress("::ffff:127.0.0.5")!)
        #expect(throws: HTTPClientError.refusedByPolicy("10.0.0.1 is private-use (RFC 1918)")) {
            try policy.check(address: IPAddress("10.0.0.1")!)
        }
        #expect(throws: HTTPClientError.self) { try policy.check(address: IPAddress("::1")!) }
    }

    @Test func portsOtherThan80And443AreRefusedByDefault() throws {
        try AddressPolicy.strict.check(host: "example.com", port: 80)
        try AddressPolicy.strict.check(host: "example.com", port: 443)
        #expect(throws: HTTPClientError.refusedByPolicy("port 8443 is not allowed")) {
            try AddressPolicy.strict.check(host: "example.com", port: 8443)
        }
        try AddressPolicy(allowedPorts: nil).check(host: "example.com", port: 8443)
    }

    @Test func hostAllowListMatchesExactAndWildcardSuffix() throws {
        let policy = AddressPolicy(allowedHosts: ["cdn.example.com", "*.images.example"])
        try policy.check(host: "cdn.example.com", port: 443)
        try policy.check(host: "CDN.Example.com.", port: 443)
        try policy.check(host: "a.b.images.example", port: 443)
        for bad in ["images.example", "evilcdn.example.com", "cdn.example.com.evil", "ximages.example", "8.8.8.8"] {
            #expect(throws: HTTPClientError.self, "\(bad)") { try policy.check(host: bad, port: 443) }
        }
    }

    @Test func trustedPolicyAllowsEverything() throws {
        try AddressPolicy.trusted.check(host: "10.0.0.1", port: 8080)
        try AddressPolicy.trusted.check(address: IPAddress("::1")!)
    }

    @Test func cidrParsingAndContainment() throws {
        #expect(IPNetwork("10.0.0.0/8")!.contains(IPAddress("10.200.1.1")!))
        #expect(!IPNetwork("10.0.0.0/8")!.contains(IPAddress("11.0.0.1")!))
        #expect(IPNetwork("172.16.0.0/12")!.contains(IPAddress("172.31.0.1")!))
        #expect(!IPNetwork("172.16.0.0/12")!.contains(IPAddress("172.32.0.1")!))
        #expect(IPNetwork("fc00::/7")!.contains(IPAddress("fdff::1")!))
        #expect(!IPNetwork("fc00::/7")!.contains(IPAddress("fe00::1")!))
        #expect(!IPNetwork("10.0.0.0/8")!.contains(IPAddress("::ffff:10.0.0.1")!))  // families differ
        #expect(IPNetwork("0.0.0.0/0")!.contains(IPAddress("1.2.3.4")!))
        #expect(IPNetwork("192.0.2.7")!.prefixLength == 32)
        for bad in ["10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/08", "abc/8", "10.0.0/8", "10.0.0.0/8/8", "010.0.0.1"] {
            #expect(IPNetwork(bad) == nil, "\(bad)")
        }
    }

    @Test func ipParsingIsStrict() {
        for bad in ["0177.0.0.1", "0x7f.0.0.1", "2130706433", "127.1", "1.2.3.4.5", "fe80::1%eth0", ""] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
        #expect(IPAddress("[::1]") == IPAddress("::1"))
        #expect(EmbeddedIPv4(IPAddress("::ffff:10.0.0.1")!) == .mapped(IPAddress("10.0.0.1")!))
        #expect(EmbeddedIPv4(IPAddress("64:ff9b::a00:1")!) == .nat64(IPAddress("10.0.0.1")!))
    }
}
