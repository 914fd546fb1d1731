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
    public var shutdownTimeout = 20.0

    // Downloads of result images
    public var downloadWorkers = 4
    public var downloadMaxBytes = 32 * 1024 * 1024
    public var downloadAllowNetworks: [NetworkPrefix] = []
    public var downloadAllowedHosts: [String] = []
    public var downloadConnectTimeout = 10.0
    public var downloadFirstByteTimeout = 30.0
    public var downloadIdleTimeout = 30.0
    public var downloadTotalTimeout = 300.0
    public var downloadMaxAttempts = 10

    // Reconciliation by polling the provider (callbacks can be lost: 3 retries over ~7 s)
    public var reconcileGrace = 60.0
    public var reconcileInterval = 30.0

    // Relay of final tasks to the submitter's callback_url
    public var relayTimeout = 10.0
    public var relayMaxAttempts = 12
    public var relayAllowNetworks: [NetworkPrefix] = []

    // Readiness
    public var readyzMinFreeBytes = 1024 * 1024 * 1024

    // Reverse proxy
    public var trustedProxyHeader: String? = nil
    public var trustedProxies: [NetworkPrefix] = [NetworkPrefix("127.0.0.1/32")!, NetworkPrefix("::1/128")!]

    // TLS
    public var extraCAFile: String? = nil

    // Simulator mode (no provider API key configured)
    public var simulatorListen = ListenAddress("127.0.0.1:0")!

    public init() {}

    /// Simulator mode: no provider key anywhere, so `serve` runs the embedded provider
    /// simulator instead of spending money on the real API.
    public var isSimulatorMode: Bool { providerAPIKeyFile == nil }
}
