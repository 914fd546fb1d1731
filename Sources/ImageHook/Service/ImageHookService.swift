import Foundation
import HTTP1
import Logging
import Store
import Support

/// The service facade the daemon wires into `imagehookd serve`.
///
/// ```swift
/// let service = try ImageHookService(configuration: config, logger: logger,
///                                    provider: EvoLinkProvider(client: evolink),
///                                    fetcher: HTTPImageFetcher(client: imageClient),
///                                    relaySender: HTTPRelaySender(client: relayClient))
/// try service.start()
/// let publicServer = HTTPServer(name: "public", ..., handler: service.publicHandler, ...)
/// let internalServer = HTTPServer(name: "internal", ..., handler: service.internalHandler, ...)
/// ...
/// await service.shutdown()
/// ```
public final class ImageHookService: Sendable {
    let context: ServiceContext
    /// Handler for the public listener (callbacks only).
    public let publicHandler: PublicHandler
    /// Handler for the internal listener (submit, tasks, images, ledger).
    public let internalHandler: InternalHandler
    private let downloader: Downloader
    private let reconciler: Reconciler
    private let relayer: Relayer
    private let resolver: AmbiguousResolver
    private let loops = Locked<[Task<Void, Never>]>([])
    private let stopped = Locked(false)

    public var database: Database { context.database }

    /// Opens (creating) `<data_dir>/imagehook.sqlite`, `<data_dir>/images`, and the token
    /// key; nothing runs until `start()`.
    public init(configuration: ServiceConfiguration, logger: Logger, provider: any ProviderAPI,
                fetcher: any ImageFetcher, relaySender: any RelaySender, vault: (any ImageVault)? = nil,
                clock: any ServiceClock = SystemClock(), random: any RandomSource = SystemRandomSource()) throws {
        let dir = configuration.dataDirectory
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw ServiceError.startup("cannot create data directory \(dir): \(error)")
        }
        let database = try Database(path: dir + "/imagehook.sqlite", migrations: SchemaService.migrations,
                                    configuration: DatabaseConfiguration(readerCount: configuration.storeReaders,
                                                                                 walAutoCheckpointPages: configuration.storeWALAutoCheckpointPages,
                                                                                 maxPendingWrites: configuration.storeMaxPendingWrites),
                                    logger: logger)
        let images = try vault ?? ImageStoreVault(root: dir, maxBytes: configuration.maxImageBytes)
        let tokens = try CallbackTokens.load(path: dir + "/token.key")
        let context = ServiceContext(config: configuration, database: database, images: images, provider: provider,
                                     fetcher: fetcher, relaySender: relaySender, clock: clock, random: random,
                                     logger: logger, tokens: tokens)
        self.context = context
        let applier = ReportApplier(pollSchedule: configuration.pollSchedule, random: random)
        let submitter = Submitter(context: context, applier: applier)
        publicHandler = PublicHandler(receiver: CallbackReceiver(context: context, applier: applier),
                                      bodyLimitBytes: configuration.callbackBodyLimit)
        internalHandler = InternalHandler(context: context, submitter: submitter, query: QueryAPI(context: context),
                                          authenticator: CallerAuthenticator(tokens: configuration.internalTokens))
        downloader = Downloader(context: context)
        reconciler = Reconciler(context: context, applier: applier)
        resolver = AmbiguousResolver(context: context, submitter: submitter)
        relayer = Relayer(context: context)
    }

    /// Recovers from whatever the last process left (running jobs re-queued, interrupted
    /// submits marked ambiguous, every unfinished task polled now), then starts the
    /// download workers, the reconciler and the relay loop.
    public func start() async throws {
        let now = context.clock.now()
        try await context.database.write { tx in
            try DownloadJobRepository.requeueRunning(now: now, in: tx)
            try SubmissionRepository.markInterruptedAsAmbiguous(now: now, in: tx)
            try TaskRepository.scheduleUnfinishedPolls(at: now, in: tx)
        }
        let isStopped: @Sendable () -> Bool = { [stopped] in stopped.withLock { $0 } }
        var tasks: [Task<Void, Never>] = []
        for _ in 0..<max(1, context.config.downloadWorkers) {
            let downloader = self.downloader
            tasks.append(Task { await downloader.run(isStopped: isStopped) })
        }
        let reconciler = self.reconciler
        tasks.append(Task { await reconciler.run(isStopped: isStopped) })
        let relayer = self.relayer
        tasks.append(Task { await relayer.run(isStopped: isStopped) })
        let resolver = self.resolver
        tasks.append(Task { await resolver.run(isStopped: isStopped) })
        loops.withLock { $0 = tasks }
        context.logger.info("imagehook service started", metadata: ["workers": "\(context.config.downloadWorkers)"])
    }

    /// Stops the background loops (work in progress is left to resume at the next
    /// start) and closes the store. Stop the HTTP servers first.
    public func shutdown() async {
        stopped.withLock { $0 = true }
        let tasks = loops.withLock { l -> [Task<Void, Never>] in defer { l = [] }; return l }
        for t in tasks { t.cancel() }
        context.downloadsWakeup.signal()
        context.pollsWakeup.signal()
        context.relayWakeup.signal()
        context.submitsWakeup.signal()
        for t in tasks { await t.value }
        context.database.close()
    }

    /// The ledger as `GET /v1/ledger` shows it.
    public func ledger() async throws -> Ledger { try await context.currentLedger() }

    /// Replaces the internal callers' tokens (`name -> token`) while serving; the next
    /// request is judged against the new set (SIGHUP reload).
    public func replaceInternalTokens(_ tokens: [String: String]) {
        internalHandler.authenticator.replace(tokens: tokens)
    }

    /// The internal caller a request's bearer token belongs to, if any: the one check
    /// for every internal route, including the daemon's own operator routes.
    public func authenticatedCaller(_ headers: HTTPHeaders) -> String? {
        internalHandler.authenticator.caller(for: headers)
    }
}
