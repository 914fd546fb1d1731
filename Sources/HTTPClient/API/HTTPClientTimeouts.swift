/// Deadlines for each phase of a request, in seconds. Each expiry is reported as
/// `HTTPClientError.timeout(phase:)` with the matching `Phase` raw value.
public struct HTTPClientTimeouts: Sendable, Hashable {
    public enum Phase: String, Sendable {
        case dns, connect, tls, firstByte, idle, total
    }

    /// Name resolution (getaddrinfo has no timeout of its own).
    public var dns: Double = 10
    /// TCP connect, across all resolved addresses (and the proxy CONNECT exchange).
    public var connect: Double = 10
    /// TLS handshake including certificate verification.
    public var tls: Double = 10
    /// From the request being fully sent to the first response byte.
    public var firstByte: Double = 30
    /// Longest silence while sending the request or reading the response.
    public var idle: Double = 30
    /// Whole request, redirects included.
    public var total: Double = 120

    public init(dns: Double = 10, connect: Double = 10, tls: Double = 10,
                firstByte: Double = 30, idle: Double = 30, total: Double = 120) {
        self.dns = dns
        self.connect = connect
        self.tls = tls
        self.firstByte = firstByte
        self.idle = idle
        self.total = total
    }
}
