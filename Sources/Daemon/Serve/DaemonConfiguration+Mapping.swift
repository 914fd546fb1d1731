import HTTP1
import HTTPClient
import HTTPServer

/// How the daemon's keys become the lower layers' configurations.
extension DaemonConfiguration {
    /// One server configuration for both listeners; the per-route body limit
    /// (callbacks vs. internal API) is applied by the handlers' `bodyLimit(for:)`.
    public var httpServerConfiguration: HTTPServerConfiguration {
        var s = HTTPServerConfiguration()
        var limits = HTTPParserLimits()
        limits.maxStartLineBytes = maxRequestLineBytes
        limits.maxHeaderBytes = maxHeaderBytes
        limits.maxHeaderCount = maxHeaderCount
        limits.maxBodyBytes = maxBodyBytes
        s.parserLimits = limits
        s.maxConnections = maxConnections
        s.headerTimeout = headerTimeout
        s.bodyTimeout = bodyTimeout
        s.idleTimeout = idleTimeout
        s.writeTimeout = writeTimeout
        s.drainTimeout = drainTimeout
        s.shutdownGrace = shutdownTimeout
        return s
    }

    /// The provider API client: a trusted endpoint (no address restriction), plain
    /// HTTP only for a loopback base URL (simulator).
    public var providerClientConfiguration: HTTPClientConfiguration {
        var c = HTTPClientConfiguration.providerAPI()
        c.timeouts = HTTPClientTimeouts(dns: providerConnectTimeout, connect: providerConnectTimeout,
                                        tls: providerConnectTimeout, firstByte: providerRequestTimeout,
                                        idle: providerRequestTimeout, total: providerRequestTimeout)
        c.extraCAFile = extraCAFile
        c.allowPlainHTTP = ConfigLoader.isLoopbackURL(providerBaseURL)
        return c
    }

    /// Image downloads: untrusted URLs from the callback body, strict address policy.
    public var downloadClientConfiguration: HTTPClientConfiguration {
        var c = HTTPClientConfiguration.imageDownload(
            allowNetworks: downloadAllowNetworks.compactMap { IPNetwork($0.description) },
            allowedHosts: downloadAllowedHosts.isEmpty ? nil : downloadAllowedHosts,
            maxBodyBytes: downloadMaxBytes,
            proxy: Self.proxySettings(downloadProxy))
        c.timeouts = HTTPClientTimeouts(dns: downloadConnectTimeout, connect: downloadConnectTimeout,
                                        tls: downloadConnectTimeout, firstByte: downloadFirstByteTimeout,
                                        idle: downloadIdleTimeout, total: downloadTotalTimeout)
        c.extraCAFile = extraCAFile
        c.addressPolicy.allowedPorts = downloadAllowedPorts
        applyOutboundBounds(&c)
        c.allowPlainHTTP = isSimulatorMode
        if isSimulatorMode {
            // The simulator serves its images from loopback.
            c.addressPolicy.allowNetworks += [IPNetwork("127.0.0.0/8")!, IPNetwork("::1/128")!]
            c.addressPolicy.allowedPorts = nil
        }
        return c
    }

    /// Relay to submitters' callback URLs (usually internal services).
    public var relayClientConfiguration: HTTPClientConfiguration {
        var c = HTTPClientConfiguration(maxBodyBytes: 64 * 1024, maxRedirects: 0,
                                        addressPolicy: AddressPolicy(
                                            allowNetworks: relayAllowNetworks.compactMap { IPNetwork($0.description) },
                                            allowedPorts: nil),
                                        maxIdleConnectionsPerOrigin: 2)
        c.timeouts = HTTPClientTimeouts(dns: relayTimeout, connect: relayTimeout, tls: relayTimeout,
                                        firstByte: relayTimeout, idle: relayTimeout, total: relayTimeout)
        c.extraCAFile = extraCAFile
        c.allowPlainHTTP = true
        c.proxy = Self.proxySettings(relayProxy)
        applyOutboundBounds(&c)
        return c
    }

    func applyOutboundBounds(_ c: inout HTTPClientConfiguration) {
        c.maxConcurrentRequests = outboundMaxRequests
        c.maxQueuedRequests = outboundMaxQueued
        c.maxLookupsInFlight = outboundMaxLookups
    }

    /// A named proxy for both schemes; no `NO_PROXY` (the policy, not a bypass list,
    /// decides what may be reached).
    static func proxySettings(_ endpoint: ProxyEndpoint?) -> ProxySettings {
        guard let endpoint else { return .none }
        return ProxySettings(httpsProxy: endpoint, httpProxy: endpoint)
    }
}
