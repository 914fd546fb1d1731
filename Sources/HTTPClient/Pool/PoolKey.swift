/// Connections are only interchangeable for the same scheme, host, port and proxy
/// (RFC 9112 §9.3: a connection is to one origin; a tunnel is to one target).
struct PoolKey: Hashable, Sendable {
    var scheme: String
    var host: String
    var port: Int
    var proxy: ProxyEndpoint?
}
