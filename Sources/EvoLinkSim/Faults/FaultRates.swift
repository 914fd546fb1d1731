/// Probabilities (0...1) with which each fault hits a task, a callback, a download or
/// an API request, plus the parameters of the faults that need one.
public struct FaultRates: Sendable, Hashable, Codable {
    public var dropCallback: Double = 0
    public var duplicateCallback: Double = 0
    public var staleCallback: Double = 0
    public var lateCallback: Double = 0
    /// Seconds (scaled) a late callback is held back.
    public var lateCallbackDelay: Double = 5
    public var failTask: Double = 0
    /// Codes a failed task picks from (documented task error codes by default).
    public var failCodes: [String] = ["content_policy_violation", "generation_failed_no_content",
                                      "service_error", "generation_timeout"]
    public var cancelTask: Double = 0
    public var fewerResults: Double = 0
    /// Per download, independently of the task's own fault.
    public var imageServerError: Double = 0
    public var imageForbidden: Double = 0
    public var imageSlow: Double = 0
    public var imageTruncated: Double = 0
    public var imageWrongContentType: Double = 0
    public var imageCorrupt: Double = 0
    /// Seconds (scaled) a slow image waits before answering.
    public var slowImageDelay: Double = 5
    /// Per API request (submit and task query).
    public var apiServerError: Double = 0
    public var apiRateLimit: Double = 0
    /// `Retry-After` seconds on injected and real 429s.
    public var retryAfter: Int = 1

    public init() {}

    enum CodingKeys: String, CodingKey {
        case dropCallback = "drop_callback", duplicateCallback = "duplicate_callback"
        case staleCallback = "stale_callback", lateCallback = "late_callback"
        case lateCallbackDelay = "late_callback_delay", failTask = "fail_task"
        case failCodes = "fail_codes", cancelTask = "cancel_task", fewerResults = "fewer_results"
        case imageServerError = "image_server_error", imageForbidden = "image_forbidden"
        case imageSlow = "image_slow", imageTruncated = "image_truncated"
        case imageWrongContentType = "image_wrong_content_type", imageCorrupt = "image_corrupt"
        case slowImageDelay = "slow_image_delay", apiServerError = "api_server_error"
        case apiRateLimit = "api_rate_limit", retryAfter = "retry_after"
    }

    /// Absent fields keep their defaults, so `{"fail_task":1}` is a complete update.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = FaultRates()
        func r(_ k: CodingKeys, _ v: Double) throws -> Double { try c.decodeIfPresent(Double.self, forKey: k) ?? v }
        dropCallback = try r(.dropCallback, d.dropCallback)
        duplicateCallback = try r(.duplicateCallback, d.duplicateCallback)
        staleCallback = try r(.staleCallback, d.staleCallback)
        lateCallback = try r(.lateCallback, d.lateCallback)
        lateCallbackDelay = try r(.lateCallbackDelay, d.lateCallbackDelay)
        failTask = try r(.failTask, d.failTask)
        failCodes = try c.decodeIfPresent([String].self, forKey: .failCodes) ?? d.failCodes
        cancelTask = try r(.cancelTask, d.cancelTask)
        fewerResults = try r(.fewerResults, d.fewerResults)
        imageServerError = try r(.imageServerError, d.imageServerError)
        imageForbidden = try r(.imageForbidden, d.imageForbidden)
        imageSlow = try r(.imageSlow, d.imageSlow)
        imageTruncated = try r(.imageTruncated, d.imageTruncated)
        imageWrongContentType = try r(.imageWrongContentType, d.imageWrongContentType)
        imageCorrupt = try r(.imageCorrupt, d.imageCorrupt)
        slowImageDelay = try r(.slowImageDelay, d.slowImageDelay)
        apiServerError = try r(.apiServerError, d.apiServerError)
        apiRateLimit = try r(.apiRateLimit, d.apiRateLimit)
        retryAfter = try c.decodeIfPresent(Int.self, forKey: .retryAfter) ?? d.retryAfter
    }
}
