/// Names of the metrics the daemon itself produces (the service's figures are added by
/// collectors at scrape time).
public enum DaemonMetrics {
    public static let requests = "imagehook_http_requests_total"
    public static let requestDuration = "imagehook_http_request_duration_seconds"
    public static let responseBytes = "imagehook_http_response_bytes_total"
    public static let up = "imagehook_up"
    public static let startTime = "imagehook_start_time_seconds"
    public static let dataDirFreeBytes = "imagehook_data_dir_free_bytes"
    public static let ready = "imagehook_ready"
    public static let simulatorMode = "imagehook_simulator_mode"

    /// Declares the families so HELP/TYPE lines are present from the first scrape.
    public static func register(in registry: MetricsRegistry) {
        registry.describeCounter(requests, help: "HTTP requests answered, by listener, route, method and status.")
        registry.describeHistogram(requestDuration, help: "Time from request start to response written, seconds.")
        registry.describeCounter(responseBytes, help: "Response bytes sent, by listener and route.")
    }
}
