import Logging

/// Sits between the HTTP server's logger and the real handler. The server writes one
/// `request` event per answered request (method, path, status, bytes, duration); this tap
/// turns those into request metrics and then forwards only what the configured level
/// allows. It reports a level of at most `info`, so the server keeps emitting access
/// events (and metrics keep flowing) even when the operator raised log_level.
public struct MetricsTapLogHandler: LogHandler {
    private var inner: any LogHandler
    private let metrics: MetricsRegistry

    public init(inner: any LogHandler, metrics: MetricsRegistry) {
        self.inner = inner
        self.metrics = metrics
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    public var logLevel: Logger.Level {
        get { min(inner.logLevel, .info) }
        set { inner.logLevel = newValue }
    }

    public func log(event: LogEvent) {
        var level = event.level
        if event.message.description == "request", let metadata = event.metadata {
            record(metadata)
            // Successful probes (/healthz, /readyz, /metrics every few seconds) would drown
            // the journal; they are logged at debug.
            if let path = metadata["path"].map({ "\($0)" }), Self.probePaths.contains(path),
               metadata["status"].map({ "\($0)" }) == "200" {
                level = .debug
            }
        }
        guard level >= inner.logLevel else { return }
        var forwarded = event
        forwarded.level = level
        inner.log(event: forwarded)
    }

    static let probePaths: Set<String> = ["/healthz", "/readyz", "/metrics"]

    private func record(_ m: Logger.Metadata) {
        guard let path = m["path"].map({ "\($0)" }), let statusText = m["status"].map({ "\($0)" }) else { return }
        let route = RouteLabel.label(for: Substring(path))
        let listener = m["listener"].map { "\($0)" } ?? ""
        let method = m["method"].map { "\($0)" } ?? ""
        let labels = [("listener", listener), ("route", route), ("method", method)]
        metrics.increment(DaemonMetrics.requests, labels + [("status", statusText)])
        if let ms = m["duration_ms"].flatMap({ Double("\($0)") }) {
            metrics.observe(DaemonMetrics.requestDuration, labels, ms / 1000)
        }
        if let bytes = m["bytes"].flatMap({ Double("\($0)") }) {
            metrics.increment(DaemonMetrics.responseBytes, [("listener", listener), ("route", route)], by: bytes)
        }
    }
}
