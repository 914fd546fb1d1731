import Foundation
import HTTPServer
import Logging
import Support

/// A running daemon: two listeners, the service, the embedded simulator in simulator
/// mode, readiness, metrics, systemd notification, reload and graceful shutdown.
public final class DaemonRuntime: @unchecked Sendable {  // mutable state only touched from start/reload/shutdown, which run one at a time on the serve task
    public private(set) var loaded: ConfigLoadResult
    public let configPath: String?
    let environment: [String: String]
    let levelControl: LogLevelControl
    let logger: Logger
    let metrics = MetricsRegistry()
    let settings: RuntimeSettings
    let notifier: SystemdNotifier
    let stoppingGate = StoppingGate()
    let publicSlot = HandlerSlot()
    let internalSlot = HandlerSlot()
    var servers: [HTTPServer] = []
    /// Read by request threads (/readyz, /metrics) while `start` may still be filling it.
    let serviceBox = Locked(ServiceHandle())
    var service: ServiceHandle {
        get { serviceBox.withLock { $0 } }
        set { serviceBox.withLock { $0 = newValue } }
    }
    var stopSimulator: (@Sendable () async -> Void)?
    var watchdog: WatchdogPinger?
    var statusTask: Task<Void, Never>?
    let startedAt = Date()
    public private(set) var publicPort = 0
    public private(set) var internalPort = 0

    public init(loaded: ConfigLoadResult, configPath: String?, environment: [String: String],
                levelControl: LogLevelControl, logger: Logger) {
        self.loaded = loaded
        self.configPath = configPath
        self.environment = environment
        self.levelControl = levelControl
        self.logger = logger
        self.settings = RuntimeSettings(loaded.configuration)
        self.notifier = SystemdNotifier(environment: environment)
    }

    public func start(service makeService: ServiceFactory, simulator makeSimulator: SimulatorFactory?) async throws(DaemonError) {
        var config = loaded.configuration
        do { try DataDirectory.prepare(config.dataDir) } catch { throw .dataDirectory(error.description) }
        let requestMetrics = RequestMetrics(listeners: DaemonRouter.Role.allCases.map(\.rawValue))
        metrics.addSource(requestMetrics)
        let accessLog = AccessLog(levelControl: levelControl)

        // Listeners first: with socket activation, connections queued during a restart
        // are accepted right away (answered 503 + Retry-After until the service is up).
        let sockets = SystemdSockets.take()
        let serverLogger = Logger(label: AccessLog.label) { [levelControl] label in
            LogfmtLogHandler(label: label, levelControl: levelControl)
        }
        for (index, (role, address, slot)) in [(DaemonRouter.Role.public, config.publicListen, publicSlot),
                                               (.internal, config.internalListen, internalSlot)].enumerated() {
            // Request metrics and the access line come from the server's typed
            // per-request record, not from its log events.
            var serverConfiguration = config.httpServerConfiguration
            serverConfiguration.observer = DaemonRequestObserver(listener: index, metrics: requestMetrics,
                                                                 accessLog: accessLog)
            serverConfiguration.writesAccessLog = false
            let router = DaemonRouter(role: role, slot: slot, settings: settings, metrics: metrics,
                                      provider: config.provider, dataDir: config.dataDir,
                                      storeProblem: { [weak self] in
                                          guard let self else { return "stopping" }
                                          return await self.serviceBox.withLock { $0 }.storeProblem()
                                      },
                                      serviceMetrics: { [weak self] in
                                          guard let self, self.settings.areListenersUp else { return [] }
                                          return await self.serviceBox.withLock { $0 }.metrics()
                                      })
            let server = HTTPServer(name: role.rawValue, configuration: serverConfiguration,
                                    handler: router, logger: serverLogger)
            do {
                if let fd = sockets[role.rawValue] {
                    try server.start(listeningSocket: fd)
                    logger.info("using socket-activated listener", metadata: ["listener": "\(role.rawValue)"])
                } else {
                    try server.start(address: address.description)
                }
            } catch {
                shutdownServers()
                throw .listen(listener: role.rawValue, address: address.description, reason: "\(error)")
            }
            servers.append(server)
        }
        publicPort = servers[0].boundPort
        internalPort = servers[1].boundPort

        if config.isSimulatorMode {
            guard let makeSimulator else { throw .simulator("no simulator available in this build") }
            do {
                let simulator = try await makeSimulator(config, logger)
                config.providerBaseURL = simulator.baseURL
                stopSimulator = simulator.stop
            } catch {
                shutdownServers()
                throw .simulator("\(error)")
            }
            if config.publicURL == nil {
                config.publicURL = "http://127.0.0.1:\(publicPort)"
            }
            logger.warning("SIMULATOR MODE: provider = simulator; tasks go to the embedded EvoLink simulator, not the real API",
                           metadata: ["provider": "\(config.provider.rawValue)",
                                      "provider_base_url": "\(config.providerBaseURL)", "public_url": "\(config.publicURL ?? "")"])
        }

        do {
            service = try await makeService(config, loaded.secrets, logger,
                                            "http://\(ClientOptions.connectable(ListenAddress.loopback(like: config.publicListen, port: publicPort)))")
        } catch {
            shutdownServers()
            await stopSimulator?()
            throw .service("\(error)")
        }
        loaded.configuration = config
        publicSlot.fill(service.publicHandler)
        internalSlot.fill(service.internalHandler, actions: service.taskActions)
        installCollectors()
        settings.areListenersUp = true

        let status = "serving; public \(publicPort), internal \(internalPort)\(config.isSimulatorMode ? ", SIMULATOR MODE" : "")"
        logger.info("ready", metadata: ["public_port": "\(publicPort)", "internal_port": "\(internalPort)",
                                        "provider": "\(config.provider.rawValue)",
                                        "provider_base_url": "\(config.providerBaseURL)",
                                        "data_dir": "\(config.dataDir)"])
        notifier.ready(status: status)
        if notifier.isEnabled { startStatusUpdates(base: status) }
        if let interval = SystemdNotifier.watchdogInterval(environment: environment) {
            watchdog = WatchdogPinger(notifier: notifier, interval: interval) { [settings] in settings.areListenersUp }
        }
    }

    /// Every `statusInterval` seconds, STATUS= gets a one-line summary for
    /// `systemctl status`: queues, oldest unfinished task, ledger balance.
    func startStatusUpdates(base: String) {
        let metrics = service.metrics
        let notifier = self.notifier
        let settings = self.settings
        let gate = stoppingGate
        statusTask = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(Self.statusInterval * 1e9))
                guard !Task.isCancelled, settings.areListenersUp else { return }
                let line = Self.statusLine(base: base, samples: await metrics())
                // Shutdown may have begun during the await: never send after STOPPING=1.
                guard gate.unlessStopping({ notifier.status(line) }) else { return }
            }
        }
    }

    static let statusInterval = 10.0

    static func statusLine(base: String, samples: [MetricsRegistry.Sample]) -> String {
        func value(_ name: String, _ label: (String, String)? = nil) -> Int? {
            samples.first { $0.name == name && (label == nil || $0.labels.contains { $0 == label! }) }.map { Int($0.value) }
        }
        var parts = [base]
        if let d = value("imagehook_queue_depth", ("queue", "downloads")) { parts.append("downloads queued \(d)") }
        if let r = value("imagehook_queue_depth", ("queue", "relays")) { parts.append("relays pending \(r)") }
        if let age = value("imagehook_oldest_unfinished_task_age_seconds") { parts.append("oldest unfinished task \(age) s") }
        if let balanced = value("imagehook_ledger_balanced") { parts.append(balanced == 1 ? "ledger balanced" : "LEDGER UNBALANCED") }
        return parts.joined(separator: "; ")
    }

    func installCollectors() {
        let started = startedAt.timeIntervalSince1970
        let simulator = loaded.configuration.isSimulatorMode
        let dataDir = loaded.configuration.dataDir
        metrics.addCollector { [settings] in
            var samples = [
                MetricsRegistry.Sample(name: DaemonMetrics.up, help: "1 while the daemon runs.", value: 1),
                MetricsRegistry.Sample(name: DaemonMetrics.startTime, help: "Start time, unix seconds.", value: started),
                MetricsRegistry.Sample(name: DaemonMetrics.simulatorMode, help: "1 in simulator mode.", value: simulator ? 1 : 0),
                MetricsRegistry.Sample(name: DaemonMetrics.ready, help: "1 when the listeners are up.",
                                       value: settings.areListenersUp ? 1 : 0),
            ]
            if let free = DiskSpace.availableBytes(at: dataDir) {
                samples.append(.init(name: DaemonMetrics.dataDirFreeBytes, help: "Free bytes in data_dir.", value: Double(free)))
            }
            return samples
        }
    }

    /// SIGHUP: re-read the file and environment; apply what is safe, log the rest.
    public func reload() {
        notifier.reloading(monotonicMicroseconds: DispatchTime.now().uptimeNanoseconds / 1000)
        defer { notifier.ready(status: "serving; configuration reloaded") }
        let fresh = configPath.map { ConfigLoader.load(path: $0, environment: environment) }
            ?? ConfigLoader.load(text: "", environment: environment)
        guard fresh.isValid else {
            for problem in fresh.problems {
                logger.error("reload refused: configuration problem", metadata: ["problem": "\(problem.render(file: configPath ?? "config"))"])
            }
            return
        }
        let changed = DaemonConfiguration.keys.filter { fresh.rawValues[$0.name] != loaded.rawValues[$0.name] }
        let applied = changed.filter(\.reloadable).map(\.name)
        let needsRestart = changed.filter { !$0.reloadable }.map(\.name)

        levelControl.current = fresh.configuration.logLevel
        settings.current = RuntimeSettings.Values(fresh.configuration)
        var effective = fresh.configuration
        // Values resolved at start (simulator URLs) stay as they are.
        effective.providerBaseURL = loaded.configuration.providerBaseURL
        effective.publicURL = loaded.configuration.publicURL
        let notApplied = service.reload(effective, fresh.secrets)
        for name in applied {
            loaded.rawValues[name] = fresh.rawValues[name]
        }
        logger.notice("configuration reloaded", metadata: [
            "applied": "\(applied.joined(separator: ","))",
            "internal_clients": "\(fresh.secrets.internalTokens.count)",
        ])
        if !needsRestart.isEmpty || !notApplied.isEmpty {
            logger.warning("changed keys need a restart to take effect",
                           metadata: ["keys": "\((needsRestart + notApplied).joined(separator: ","))"])
        }
    }

    /// Graceful shutdown within shutdown_timeout: stop accepting, finish in-flight
    /// requests, stop the service's background work, then the simulator.
    /// Returns false when the deadline passed before everything stopped.
    @discardableResult
    public func shutdown() async -> Bool {
        let began = DispatchTime.now()
        let deadline = loaded.configuration.shutdownTimeout
        // STOPPING=1 first, before any slow step, so systemd knows the stop is under way.
        stoppingGate.beginStopping { notifier.stopping(status: "shutting down") }
        logger.notice("shutting down", metadata: ["deadline_s": "\(deadline)"])
        watchdog?.stop()
        statusTask?.cancel()
        settings.areListenersUp = false
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let group = DispatchGroup()
            for server in servers {
                group.enter()
                server.shutdown(deadline: deadline) { group.leave() }
            }
            group.notify(queue: .global()) { done.resume() }
        }
        // The service gets what is left of the deadline; past it the process exits anyway:
        // every acknowledged write is already durable and unfinished work resumes at the
        // next start, while systemd would otherwise SIGKILL at TimeoutStopSec.
        let serviceStopped = await Self.run(within: max(1, deadline - elapsed(since: began))) { [service] in
            await service.shutdown()
        }
        if !serviceStopped {
            logger.error("service did not stop within shutdown_timeout; exiting anyway (unfinished work resumes at next start)")
        }
        await stopSimulator?()
        logger.notice("stopped")
        return serviceStopped
    }

    func elapsed(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    /// Runs `body`; true when it finished within `seconds`.
    static func run(within seconds: Double, _ body: @escaping @Sendable () async -> Void) async -> Bool {
        await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            let once = OnceFlag()
            Task {
                await body()
                if once.claim() { done.resume(returning: true) }
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                if once.claim() { done.resume(returning: false) }
            }
        }
    }

    func shutdownServers() {
        for server in servers { server.shutdown(deadline: 0) {} }
        servers.removeAll()
    }
}
