import HTTPClient
import Logging

/// Every setting of the daemon, typed, with a safe default. The file syntax, units and
/// documentation of each key live in `DaemonConfiguration+Keys.swift` and
/// `config/imagehook.conf`; a test keeps the two in step.
public struct DaemonConfiguration: Sendable, Equatable {
    // Listeners
    public var publicListen = ListenAddress("127.0.0.1:8080")!
    public var internalListen = ListenAddress("127.0.0.1:8081")!
    public var dataDir = "/var/lib/imagehook"
    /// Base of the callback URL handed to the provider; nil only in simulator mode.
    public var publicURL: String? = nil

    // Provider
    /// Explicit (see `ProviderKind`): the default is the real API, which without a key
    /// is a configuration error, never a quiet switch to the simulator.
    public var provider: ProviderKind = .evolink
    public var providerBaseURL = "https://api.evolink.ai"
    public var providerAPIKeyFile: SecretReference? = nil
    public var providerConnectTimeout = 10.0
    public var providerRequestTimeout = 30.0

    // Secrets for the internal API and the relay
    public var internalTokensFile: SecretReference? = nil
    public var relaySecretFile: SecretReference? = nil

    public var logLevel: Logger.Level = .info

    // HTTP server limits (issue 2: 8 KiB request line, 64 KiB / 100 header fields, 1 MiB body)
    public var maxRequestLineBytes = 8 * 1024
    public var maxHeaderBytes = 64 * 1024
    public var maxHeaderCount = 100
    public var maxBodyBytes = 1024 * 1024
    /// Callback bodies are a small task JSON; a tight cap limits what an internet peer
    /// can make us buffer.
    public var callbackMaxBodyBytes = 256 * 1024
    public var maxConnections = 1024

    // HTTP server timeouts, seconds (absolute deadlines)
    public var headerTimeout = 10.0
    public var bodyTimeout = 30.0
    public var idleTimeout = 60.0
    public var writeTimeout = 30.0
    /// A 20 MiB image at about 70 KiB/s; slower readers of large images are cut.
    public var drainTimeout = 300.0
    public var shutdownTimeout = 20.0

    // Downloads of result images
    public var downloadWorkers = 4
    /// Largest image accepted (service `maxImageBytes`).
    public var downloadMaxBytes = 64 * 1024 * 1024
    public var downloadAllowNetworks: [NetworkPrefix] = []
    public var downloadAllowedHosts: [String] = []
    /// `download_proxy`; nil = direct. The environment's proxy is never used for
    /// downloads: through it the daemon could not check what a name resolves to.
    public var downloadProxy: ProxyEndpoint?
    /// `outbound_max_requests` / `outbound_max_queued` / `outbound_max_lookups`: bounds
    /// on the download and relay clients' threads.
    public var outboundMaxRequests = 64
    public var outboundMaxQueued = 4096
    public var outboundMaxLookups = 8
    /// Ports image URLs may name; nil = any port. Provider result links are plain
    /// https/http URLs, so 80 and 443 keep a hostile link from probing other services.
    public var downloadAllowedPorts: Set<Int>? = [80, 443]
    public var downloadConnectTimeout = 10.0
    public var downloadFirstByteTimeout = 30.0
    public var downloadIdleTimeout = 30.0
    public var downloadTotalTimeout = 300.0
    public var downloadMaxAttempts = 60
    public var downloadMaxContentFaultAttempts = 4
    public var downloadBackoffBase = 1.0
    public var downloadBackoffCap = 600.0
    /// Provider fact: result links expire 24 h after task creation.
    public var linkLifetime = 86_400.0
    public var verifyDimensions = true

    // Reconciliation by polling the provider (callbacks can be lost: 3 retries over ~7 s)
    public var pollGrace = 30.0
    public var pollDefaultEstimate = 30.0
    public var pollBackoffBase = 5.0
    public var pollBackoffCap = 300.0
    public var pollGiveUp = 172_800.0
    public var pollConcurrency = 4

    // Submits
    public var submitMaxAttempts = 3
    public var submitRetryBase = 0.5
    public var ambiguousResolveInterval = 30.0
    public var ambiguousResolveConcurrency = 2
    public var ambiguousGiveUpAge = 6 * 3600.0
    public var submitAnswerTimeout = 10.0
    public var submitMaxBodyBytes = 64 * 1024
    public var idempotencyKeyMaxLength = 255
    public var retryAfter = 2

    // Relay of final tasks to the submitter's callback_url
    public var relayTimeout = 10.0
    public var relayBackoffBase = 2.0
    public var relayBackoffCap = 3600.0
    public var relayRetention = 129_600.0
    public var relayLease = 120.0
    public var downloadLease = 900.0
    public var relayConcurrency = 4
    public var relayAllowNetworks: [NetworkPrefix] = []
    /// `relay_proxy`; nil = direct.
    public var relayProxy: ProxyEndpoint?

    // Query API and internals
    /// Base of image URLs in relayed/queried tasks; empty = root-relative `/v1/images/...`.
    public var imageBaseURL = ""
    public var listDefaultLimit = 50
    public var listMaxLimit = 500
    public var schedulerIdle = 1.0
    public var storeReaders = 4
    public var storeMaxPendingWrites = 10_000

    // Readiness
    public var readyzMinFreeBytes = 1024 * 1024 * 1024

    // Reverse proxy
    public var trustedProxyHeader: String? = nil
    public var trustedProxies: [NetworkPrefix] = [NetworkPrefix("127.0.0.1/32")!, NetworkPrefix("::1/128")!]

    // TLS
    public var extraCAFile: String? = nil

    // Simulator mode (provider = simulator)
    public var simulatorListen = ListenAddress("127.0.0.1:0")!
    /// Multiplies the simulator's task lifecycle (2 s pending + 8 s processing at 1).
    public var simulatorTimeScale = 1.0

    public init() {}

    /// Simulator mode: `provider = simulator` was chosen, so `serve` runs the embedded
    /// provider simulator instead of calling (and paying) the real API.
    public var isSimulatorMode: Bool { provider == .simulator }
}
