import EvoLink
import EvoLinkSim
import Foundation
import HTTPClient
import ImageHook
import Logging
import Store

/// Builds the real service and simulator for `serve`.
enum ServiceWiring {
    /// Provider API key sent to the embedded simulator (it accepts any bearer token).
    static let simulatorAPIKey = "simulator-mode"

    static let makeService: ServiceFactory = { config, secrets, logger, publicBaseURL in
        var tokens = secrets.internalTokens
        if tokens.isEmpty && config.isSimulatorMode {
            let dev = try DevToken.loadOrCreate(dataDir: config.dataDir)
            tokens = [dev]
            logger.warning("simulator mode: internal API token for the local CLI written",
                           metadata: ["path": "\(DevToken.path(dataDir: config.dataDir))"])
        }
        let startTokens = tokens
        let serviceConfig = serviceConfiguration(config, tokens: tokens, relaySecret: secrets.relaySecret)
        // The real key never goes to the embedded simulator, even when one is configured.
        let apiKey = config.isSimulatorMode ? simulatorAPIKey : (secrets.providerAPIKey?.reveal() ?? simulatorAPIKey)
        var limits = ValidationLimits()
        // A provider on loopback is a local simulator (embedded, or a separate
        // evolink-sim in tests): callback URLs may then be http or point at loopback. The
        // real API is never on loopback and keeps the rule in PROVIDER.md (https, public host).
        limits.allowInsecureCallbacks = config.isSimulatorMode || ConfigLoader.isLoopbackURL(config.providerBaseURL)
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
        let replayer = CallbackReplayer(service: service, dataDir: dataDir, publicBaseURL: publicBaseURL)
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
            reload: { fresh, freshSecrets in
                service.replaceRetention(retentionPolicy(fresh))
                service.replaceCallerLimits(callerLimits(fresh))
                // Added and removed tokens both apply from the next request on. In
                // simulator mode without a tokens file the local CLI's dev token stays.
                var next = freshSecrets.internalTokens
                if next.isEmpty && config.isSimulatorMode { next = startTokens }
                service.replaceInternalTokens(tokenMap(next), scopes: scopeMap(next))
                return []
            },
            taskActions: TaskActions(isAuthorized: { service.authenticatedCaller($0) != nil },
                                     mayAccess: { headers, id in
                                         guard let caller = service.authenticatedCaller(headers) else { return false }
                                         return try await service.mayAccess(task: id, caller: caller)
                                     },
                                     retryDownloads: { id in try await retryFailedDownloads(taskID: id, service: service) },
                                     replayCallbacks: { id in try await replayer.replay(taskID: id) }),
            shutdown: { await service.shutdown() })
    }

    /// Puts the task's failed downloads back in the queue, due now, with a fresh attempt
    /// budget; the download workers pick them up at their next scan. Expired links are
    /// left alone (the provider's result URLs die after 24 h).
    static func retryFailedDownloads(taskID: String, service: ImageHookService) async throws -> Int? {
        let now = Date().timeIntervalSince1970
        return try await service.database.write { tx -> Int? in
            guard try TaskRepository.find(id: taskID, in: tx) != nil else { return nil }
            var count = 0
            for var job in try DownloadJobRepository.jobs(taskID: taskID, in: tx) where job.state == .failed {
                job.state = .queued
                job.attempts = 0
                job.nextAttemptAt = now
                job.reason = nil
                job.updatedAt = now
                try DownloadJobRepository.update(job, in: tx)
                count += 1
            }
            return count
        }
    }

    /// `name -> token` as the service keeps them; a repeated name keeps its first token.
    static func tokenMap(_ tokens: [InternalToken]) -> [String: String] {
        Dictionary(tokens.map { ($0.name, $0.token.reveal()) }) { first, _ in first }
    }

    /// `name -> scope`, matching `tokenMap`'s choice of the first line per name.
    static func scopeMap(_ tokens: [InternalToken]) -> [String: CallerScope] {
        Dictionary(tokens.map { ($0.name, $0.scope) }) { first, _ in first }
    }

    static func serviceConfiguration(_ c: DaemonConfiguration, tokens: [InternalToken], relaySecret: Secret?) -> ServiceConfiguration {
        var s = ServiceConfiguration(publicURL: c.publicURL ?? "", dataDirectory: c.dataDir,
                                     internalTokens: tokenMap(tokens),
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
        s.downloadLease = c.downloadLease
        s.relayConcurrency = c.relayConcurrency
        s.submitMaxAttempts = c.submitMaxAttempts
        s.submitRetryBase = c.submitRetryBase
        s.ambiguousResolveInterval = c.ambiguousResolveInterval
        s.ambiguousResolveConcurrency = c.ambiguousResolveConcurrency
        s.ambiguousGiveUpAge = c.ambiguousGiveUpAge
        s.submitAnswerTimeout = c.submitAnswerTimeout
        s.callbackBodyLimit = c.callbackMaxBodyBytes
        s.submitBodyLimit = c.submitMaxBodyBytes
        s.retryAfterSeconds = c.retryAfter
        s.maxIdempotencyKeyLength = c.idempotencyKeyMaxLength
        s.listDefaultLimit = c.listDefaultLimit
        s.listMaxLimit = c.listMaxLimit
        s.schedulerIdle = c.schedulerIdle
        s.storeReaders = c.storeReaders
        s.storeMaxPendingWrites = c.storeMaxPendingWrites
        s.retention = retentionPolicy(c)
        s.callerScopes = scopeMap(tokens)
        s.callerLimits = callerLimits(c)
        return s
    }

    static func callerLimits(_ c: DaemonConfiguration) -> CallerLimits {
        var l = CallerLimits()
        l.standard = CallerLimit(submitsPerMinute: c.callerSubmitsPerMinute, tasksInFlight: c.callerTasksInFlight)
        for (name, pair) in c.callerLimits where pair.count == 2 {
            l.perCaller[name] = CallerLimit(submitsPerMinute: pair[0], tasksInFlight: pair[1])
        }
        return l
    }

    static func retentionPolicy(_ c: DaemonConfiguration) -> RetentionPolicy {
        var r = RetentionPolicy()
        r.journal = c.retentionJournal
        r.idempotency = c.retentionIdempotency
        r.finishedTasks = c.retentionTasks
        r.relays = c.retentionRelayRecords
        r.images = c.retentionImages
        r.interval = c.pruneInterval
        r.batchRows = c.pruneBatchRows
        r.batchPause = c.pruneBatchPause
        r.vacuumPages = c.pruneVacuumPages
        return r
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
