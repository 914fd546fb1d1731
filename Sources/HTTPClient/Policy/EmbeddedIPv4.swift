/// The IPv6 forms that carry IPv4 addresses. Each is unwrapped so the carried address
/// is judged by the IPv4 rules: a literal like `2002:7f00:1::` or a Teredo address
/// must not smuggle loopback or a private host past an IPv6-only check.
enum EmbeddedIPv4: Sendable, Equatable {
    /// ::ffff:0:0/96 (RFC 4291 §2.5.5.2): the socket reaches the IPv4 host itself.
    case mapped(IPAddress)
    /// ::/96 without :: and ::1 (RFC 4291 §2.5.5.1, deprecated).
    case compatible(IPAddress)
    /// 64:ff9b::/96 (RFC 6052 well-known NAT64 prefix): a translator reaches the host.
    case nat64(IPAddress)
    /// 64:ff9b:1::/48 (RFC 8215): the prefix length, and so where the IPv4 sits, is
    /// the operator's choice; the /96 spelling is the one unwrapped, and the block is
    /// refused whole anyway.
    case localNAT64(IPAddress)
    /// 2002::/16 (RFC 3056): bits 16–47 are the IPv4 of the 6to4 site.
    case sixToFour(IPAddress)
    /// 2001::/32 (RFC 4380): bits 32–63 are the Teredo server, the last 32 bits the
    /// client's IPv4 with every bit inverted.
    case teredo(server: IPAddress, client: IPAddress)

    init?(_ address: IPAddress) {
        guard !address.isIPv4 else { return nil }
        let b = address.bytes
        func v4(_ from: Int, inverted: Bool = false) -> IPAddress {
            let raw = Array(b[from..<from + 4]).map { inverted ? ~$0 : $0 }
            guard let ip = IPAddress(bytes: raw) else { preconditionFailure("4 bytes") }
            return ip
        }
        let zeros = { (r: Range<Int>) in b[r].allSatisfy { $0 == 0 } }
        if zeros(0..<10) && b[10] == 0xff && b[11] == 0xff {
            self = .mapped(v4(12))
        } else if zeros(0..<12) {
            // :: and ::1 are the unspecified and loopback addresses, not embeddings.
            guard !zeros(12..<15) || b[15] > 1 else { return nil }
            self = .compatible(v4(12))
        } else if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && zeros(4..<12) {
            self = .nat64(v4(12))
        } else if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b
                    && b[4] == 0 && b[5] == 1 {
            self = .localNAT64(v4(12))
        } else if b[0] == 0x20 && b[1] == 0x02 {
            self = .sixToFour(v4(2))
        } else if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0 {
            self = .teredo(server: v4(4), client: v4(12, inverted: true))
        } else {
            return nil
        }
    }

    /// Every IPv4 address the form carries.
    var addresses: [IPAddress] {
        switch self {
        case .mapped(let a), .compatible(let a), .nat64(let a), .localNAT64(let a), .sixToFour(let a): [a]
        case .teredo(let server, let client): [server, client]
        }
    }

    /// Forms whose connection reaches the embedded host itself, so an allow-listed
    /// IPv4 network also covers them.
    var reachesEmbeddedHost: Bool {
        switch self {
        case .mapped, .nat64: true
        default: false
        }
    }

    var formName: String {
        switch self {
        case .mapped: "an IPv4-mapped address"
        case .compatible: "an IPv4-compatible address"
        case .nat64: "a NAT64 address"
        case .localNAT64: "a local-use NAT64 address"
        case .sixToFour: "a 6to4 address"
        case .teredo: "a Teredo address"
        }
    }
}
