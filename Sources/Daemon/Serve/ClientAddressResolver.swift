/// The client address of a request: the peer address, unless the peer is one of
/// `trusted_proxies` and sent `trusted_proxy_header`, in which case the proxy's word is
/// taken. A header from anyone else is ignored, so an internet client cannot pick the
/// address that rate limits and logs see.
public struct ClientAddressResolver: Sendable {
    public var header: String?
    public var trustedProxies: [NetworkPrefix]

    public init(header: String?, trustedProxies: [NetworkPrefix]) {
        self.header = header
        self.trustedProxies = trustedProxies
    }

    /// `peer` is `ip:port` or `[ip]:port` as the server reports it.
    public func resolve(peer: String, headerValues: [String]) -> String {
        guard let header, !headerValues.isEmpty else { return peer }
        let peerIP = Self.host(of: peer)
        guard trustedProxies.contains(where: { $0.contains(peerIP) }) else { return peer }
        // X-Forwarded-For: the proxy appends the address it saw last; nginx here
        // overwrites the field, but take the last element in any case.
        let raw = header == "X-Forwarded-For"
            ? (headerValues.last?.split(separator: ",").last.map { $0.trimmingSpaces() } ?? "")
            : (headerValues.last?.trimmingSpaces() ?? "")
        let isV6 = raw.contains(":")
        guard ListenAddress.isLiteral(raw, ipv6: isV6) else { return peer }
        return raw
    }

    static func host(of address: String) -> String {
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<close])
        }
        if let colon = address.lastIndex(of: ":"), address.firstIndex(of: ":") == colon {
            return String(address[..<colon])
        }
        return address
    }
}
