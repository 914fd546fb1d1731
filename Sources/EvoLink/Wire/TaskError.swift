/// The `error` object of a failed task. `code` is a string in current docs but older
/// pages used integers (PROVIDER.md), so both decode and are normalised to a
/// string. `type` is documented as always `task_error` but is not always sent.
public struct TaskError: Sendable, Hashable, Codable {
    public var code: String
    public var message: String?
    public var type: String?

    /// Codes for which resubmitting the same request cannot help (PROVIDER.md
    /// "Task error codes"). Anything else, including codes outside the documented list,
    /// is treated as transient.
    public static let permanentCodes: Set<String> = [
        "content_policy_violation", "invalid_parameters", "image_processing_error",
        "image_dimension_mismatch", "request_cancelled", "resource_not_found",
    ]

    /// The documented transient codes, for simulators and tests.
    public static let transientCodes: Set<String> = [
        "generation_failed_no_content", "service_error", "generation_timeout",
        "resource_exhausted", "quota_exceeded", "service_unavailable", "unknown_error",
    ]

    /// Used when an `error` object arrives without a code: the provider's catch-all.
    public static let fallbackCode = "unknown_error"

    public init(code: String, message: String? = nil, type: String? = nil) {
        self.code = code
        self.message = message
        self.type = type
    }

    /// Whether resubmitting could succeed.
    public var isRetryable: Bool { !Self.permanentCodes.contains(code) }

    enum CodingKeys: String, CodingKey { case code, message, type }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decodeStringOrInteger(forKey: .code) ?? Self.fallbackCode
        message = try c.decodeIfPresent(String.self, forKey: .message)
        type = try c.decodeIfPresent(String.self, forKey: .type)
    }
}
