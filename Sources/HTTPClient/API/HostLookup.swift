/// How names become addresses: the C resolver (`getaddrinfo`, per /etc/resolv.conf and
/// nsswitch) or a function given in configuration (tests use one that never answers,
/// like a DNS server that drops every query). Whatever answers, the client checks every
/// address against its policy and bounds the lookups in flight.
public struct HostLookup: Sendable {
    /// Blocking; runs on one of the client's lookup threads.
    let lookup: @Sendable (_ host: String) -> Result<[IPAddress], HTTPClientError>

    public init(_ lookup: @escaping @Sendable (_ host: String) -> Result<[IPAddress], HTTPClientError>) {
        self.lookup = lookup
    }

    public static let system = HostLookup { host in Resolver.systemLookup(host: host) }
}
