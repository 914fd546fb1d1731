/// One entry of an IANA special-purpose address registry: the block, its name as the
/// registry gives it, and its "Globally Reachable" column. Entries whose column is
/// "N/A" (6to4, Teredo) are recorded as not reachable here; their embedded IPv4 is
/// judged separately by `AddressPolicy`.
struct SpecialPurposeRange: Sendable {
    let network: IPNetwork
    let name: String
    let globallyReachable: Bool

    init(_ cidr: String, _ name: String, global: Bool = false) {
        guard let network = IPNetwork(cidr) else { preconditionFailure("bad built-in CIDR \(cidr)") }
        self.network = network
        self.name = name
        self.globallyReachable = global
    }
}
