import HTTPServer

/// What the daemon needs from the service layer, as closures so the wiring does not
/// depend on how the service is built (and tests can stand in for it).
public struct ServiceHandle: Sendable {
    /// Handles every public-listener route except /healthz (callbacks).
    public var publicHandler: (any HTTPRequestHandler)?
    /// Handles every internal-listener route except /healthz, /readyz, /metrics.
    public var internalHandler: (any HTTPRequestHandler)?
    /// nil when the store accepts a durable write; otherwise why not.
    public var storeProblem: @Sendable () async -> String?
    /// Scrape-time samples: ledger, queue depths, oldest unfinished task...
    public var metrics: @Sendable () async -> [MetricsRegistry.Sample]
    /// Applies reloadable settings (tokens, limits); returns what it could not apply.
    public var reload: @Sendable (DaemonConfiguration, DaemonSecrets) -> [String]
    /// Operator actions the daemon answers itself (retry of failed downloads).
    public var taskActions: TaskActions?
    /// Stops background work and waits for in-flight writes.
    public var shutdown: @Sendable () async -> Void

    public init(publicHandler: (any HTTPRequestHandler)? = nil,
                internalHandler: (any HTTPRequestHandler)? = nil,
                storeProblem: @escaping @Sendable () async -> String? = { nil },
                metrics: @escaping @Sendable () async -> [MetricsRegistry.Sample] = { [] },
                reload: @escaping @Sendable (DaemonConfiguration, DaemonSecrets) -> [String] = { _, _ in [] },
                taskActions: TaskActions? = nil,
                shutdown: @escaping @Sendable () async -> Void = {}) {
        self.publicHandler = publicHandler
        self.internalHandler = internalHandler
        self.storeProblem = storeProblem
        self.metrics = metrics
        self.reload = reload
        self.taskActions = taskActions
        self.shutdown = shutdown
    }
}
