import EvoLink
import EvoLinkSim
import Foundation
import HTTPClient
import ImageHook
import Logging

/// Builds the real service and simulator for `serve`.
enum ServiceWiring {
    /// Provider API key sent to the embedded simulator (it accepts any bearer token).
    static let simulatorAPIKey = "simulator-mode"

    static let makeService: ServiceFactory = { config, secrets, logger in
        var tokens = secrets.internalTokens
        if tokens.isEmpty && config.isSimulatorMode {
            let dev = try DevToken.loadOrCreate(dataDir: config.dataDir)
            tokens = [dev]
            logger.warning("simulator mode: internal API token for the local CLI written",
                           metadata: ["path": "\(DevToken.path(dataDir: config.dataDir))"])
        }
        let serviceConfig = serviceConfiguration(config, tokens: tokens, relaySecret: secrets.relaySecret)
        let apiKey = secrets.providerAPIKey?.reveal() ?? simulatorAPIKey
        var limits = ValidationLimits()
        // Simulator mode only: the callback URL is the local http listener.
        limits.allowInsecureCallbacks = config.isSimulatorMode
        let evolink = EvoLinkClient(configuration: EvoLinkClientConfiguration(baseURL: config.providerBaseURL, apiKey: apiKey,
                                                                              validationLimits: limits),
                                    httpConfiguration: config.providerClientConfiguration, logger: logger)
        let service = try ImageHookService(
            configuration: serviceConfig, logger: logger,
            provider: EvoLinkProvider(client: evolink),
            fetcher: HTTPImageFetcher(client: HTTPClient(configuration: config.downloadClientConfiguration)),
            relaySender: HTTPRelaySender(client: HTTPClient(configuration: config.relayClientConfiguration)))
        try await service.start()

        let dataDir = config.dataDir
        let startTokens = tokens.map { "\($0.name):\($0.token.reveal())" }.sorted()
        return ServiceHandle(
            publicHandler: service.publicHandler,
            internalHandler: service.internalHandler,
            storeProblem: {
                do {
                    try await service.database.write { _ in }
                } catch {
                    return "store write failed: \(error)"
                }
                return DataDirectory.writeProblem(dataDir)
            },
            metrics: { await ServiceMetrics.samples(service: service) },
            reload: { _, fresh in
                // The service reads its tokens at start; say so instead of pretending.
                let freshTokens = fresh.internalTokens.map { "\($0.name):\($0.token.reveal())" }.sorted()
                if !fresh.internalTokens.isEmpty && freshTokens != startTokens {
                    return ["internal_tokens_file (contents changed; the service takes tokens at start)"]
                }
                return []
            },
            shutdown: { await service.shutdown() })
    }

    static func serviceConfiguration(_ c: DaemonConfiguration, tokens: [InternalToken], relaySecret: Secret?) -> ServiceConfiguration {
        var s = ServiceConfiguration(publicURL: c.publicURL ?? "", dataDirectory: c.dataDir,
                                     internalTokens: Dictionary(tokens.map { ($0.name, $0.token.reveal()) }) { a, _ in a },
                                     imageBaseURL: c.imageBaseURL, relaySecret: relaySecret?.reveal())
        s.downloadWorkers = c.downloadWorkers
        s.downloadBackoffBase = c.downloadBackoffBase
        s.downloadBackoffCap = c.downloadBackoffCap
        s.linkLifetime = c.linkLifetime
        s.maxContentFaultAttempts = c.downloadMaxContentFaultAttempts
        s.maxDownloadAttempts = c.downloadMaxAttempts
        s.maxImageBytes = c.downloadMaxBytes
        s.verifyDimensions = c.verifyDimensions
        s.pollGrace = c.pollGrace
        s.pollDefaultEstimate = c.pollDefaultEstimate
        s.pollBackoffBase = c.pollBackoffBase
        s.pollBackoffCap = c.pollBackoffCap
        s.pollGiveUpAfter = c.pollGiveUp
        s.pollConcurrency = c.pollConcurrency
        s.relayBackoffBase = c.relayBackoffBase
        s.relayBackoffCap = c.relayBackoffCap
        s.relayRetention = c.relayRetention
        s.relayLease = c.relayLease
        s.relayConcurrency = c.relayConcurrency
        s.submitMaxAttempts = c.submitMaxAttempts
        s.submitRetryBase = c.submitRetryBase
        s.ambiguousResolveInterval = c.ambiguousResolveInterval
        s.callbackBodyLimit = c.callbackMaxBodyBytes
        s.submitBodyLimit = c.submitMaxBodyBytes
        s.retryAfterSeconds = c.retryAfter
        s.maxIdempotencyKeyLength = c.idempotencyKeyMaxLength
        s.listDefaultLimit = c.listDefaultLimit
        s.listMaxLimit = c.listMaxLimit
        s.schedulerIdle = c.schedulerIdle
        s.storeReaders = c.storeReaders
        return s
    }

    /// The embedded EvoLink simulator for simulator mode: local-development flags
    /// (http and loopback callback URLs allowed), trusting extra_ca_file for https
    /// callbacks through a local TLS proxy.
    static let makeSimulator: SimulatorFactory = { config, logger in
        let simConfig = SimulatorConfiguration(timeScale: config.simulatorTimeScale,
                                               callbackCAFile: config.extraCAFile,
                                               allowInsecureCallbacks: true)
        var simLogger = logger
        simLogger[metadataKey: "component"] = "simulator"
        let simulator = Simulator(configuration: simConfig, logger: simLogger)
        try simulator.start(address: config.simulatorListen.description)
        return (simulator.baseURL, { await simulator.stop() })
    }
}
