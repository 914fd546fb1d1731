/// Names of the metrics the daemon itself produces (the request families are kept by
/// `RequestMetrics`; the service's figures are added by collectors at scrape time).
public enum DaemonMetrics {
    public static let requests = "imagehook_http_requests_total"
    public static let requestDuration = "imagehook_http_request_duration_seconds"
    public static let responseBytes = "imagehook_http_response_bytes_total"
    public static let up = "imagehook_up"
    public static let startTime = "imagehook_start_time_seconds"
    public static let dataDirFreeBytes = "imagehook_data_dir_free_bytes"
    public static let ready = "imagehook_ready"
    public static let simulatorMode = "imagehook_simulator_mode"
}
