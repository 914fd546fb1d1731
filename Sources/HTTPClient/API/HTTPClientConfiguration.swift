/// Everything that shapes a client. Two presets: `providerAPI` (trusted endpoint,
/// keep-alive, compressed responses welcome) and `imageDownload` (untrusted URLs,
/// strict address policy, exact bytes).
public struct HTTPClientConfiguration: Sendable {
    public var timeouts: HTTPClientTimeouts
    /// Cap on the (decoded) response body; buffered and streamed alike.
    public var maxBodyBytes: Int
    /// Redirects followed for GET/HEAD; other methods get the 3xx itself, as does
    /// every request when this is 0.
    public var maxRedirects: Int
    /// PEM file of extra trust anchors, added to the system store (private CAs, tests).
    public var extraCAFile: String?
    /// Allow `http://` at all (the simulator on loopback). A redirect never goes from
    /// https to http regardless.
    public var allowPlainHTTP: Bool
    public var addressPolicy: AddressPolicy
    /// Send `Accept-Encoding: gzip, deflate` and decode such responses. Off for image
    /// downloads, which must store the exact bytes the origin serves.
    public var acceptCompressed: Bool
    /// Idle keep-alive connections kept per origin; 0 disables reuse.
    public var maxIdleConnectionsPerOrigin: Int
    /// Idle connections older than this are closed rather than reused (seconds).
    public var idleConnectionExpiry: Double
    public var proxy: ProxySettings
    /// Response header limits (header bytes, field count); body limit comes from
    /// `maxBodyBytes`.
    public var maxResponseHeaderBytes: Int
    public var userAgent: String
    /// A close-delimited body whose TLS stream ended without close_notify is handed
    /// over marked `endUnconfirmed` instead of failing as truncated. CDNs often end
    /// such bodies that way; only callers that can verify the content itself (image
    /// downloads: PNG IEND and chunk CRCs, JPEG EOI, the WebP RIFF length) turn it on.
    public var deliversUnconfirmedCloseDelimitedBodies = false
    /// Requests running at once, each on one thread blocked in poll(); the rest wait in
    /// a queue of `maxQueuedRequests` and beyond that fail `.overloaded` at once.
    public var maxConcurrentRequests: Int = 64
    public var maxQueuedRequests: Int = 4096
    /// Name lookups in flight at once (each a thread in getaddrinfo, which cannot be
    /// interrupted); the rest queue, up to `maxQueuedLookups`, then `.overloaded`.
    public var maxLookupsInFlight: Int = 8
    public var maxQueuedLookups: Int = 1024
    /// Where names are resolved (the C resolver unless a test injects one).
    public var hostLookup: HostLookup = .system

    public init(timeouts: HTTPClientTimeouts = HTTPClientTimeouts(),
                maxBodyBytes: Int = 32 * 1024 * 1024,
                maxRedirects: Int = 3,
                extraCAFile: String? = nil,
                allowPlainHTTP: Bool = false,
                addressPolicy: AddressPolicy = .strict,
                acceptCompressed: Bool = false,
                maxIdleConnectionsPerOrigin: Int = 4,
                idleConnectionExpiry: Double = 20,
                proxy: ProxySettings = .none,
                maxResponseHeaderBytes: Int = 64 * 1024,
                userAgent: String = "imagehook") {
        self.timeouts = timeouts
        self.maxBodyBytes = maxBodyBytes
        self.maxRedirects = maxRedirects
        self.extraCAFile = extraCAFile
        self.allowPlainHTTP = allowPlainHTTP
        self.addressPolicy = addressPolicy
        self.acceptCompressed = acceptCompressed
        self.maxIdleConnectionsPerOrigin = maxIdleConnectionsPerOrigin
        self.idleConnectionExpiry = idleConnectionExpiry
        self.proxy = proxy
        self.maxResponseHeaderBytes = maxResponseHeaderBytes
        self.userAgent = userAgent
    }

    /// The provider API: trusted host (no address restriction), small JSON bodies,
    /// compression accepted, connections reused, proxy from the environment.
    public static func providerAPI(proxy: ProxySettings = .fromEnvironment()) -> HTTPClientConfiguration {
        HTTPClientConfiguration(maxBodyBytes: 4 * 1024 * 1024, addressPolicy: .trusted,
                                acceptCompressed: true, proxy: proxy)
    }

    /// Image downloads from untrusted URLs: strict policy, exact bytes, no reuse (each
    /// URL is typically a different CDN object). No proxy unless one is named: the
    /// environment's proxy is for the provider API, and an untrusted link must not
    /// gain whatever that proxy can reach.
    public static func imageDownload(allowNetworks: [IPNetwork] = [], allowedHosts: [String]? = nil,
                                     maxBodyBytes: Int = 32 * 1024 * 1024,
                                     proxy: ProxySettings = .none) -> HTTPClientConfiguration {
        var configuration = HTTPClientConfiguration(
            maxBodyBytes: maxBodyBytes,
            addressPolicy: AddressPolicy(allowNetworks: allowNetworks, allowedHosts: allowedHosts),
            acceptCompressed: false, maxIdleConnectionsPerOrigin: 0, proxy: proxy)
        // The image verifier proves a body whole or refuses it (see Downloader).
        configuration.deliversUnconfirmedCloseDelimitedBodies = true
        return configuration
    }
}
