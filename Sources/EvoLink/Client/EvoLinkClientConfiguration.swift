/// Where the provider is and how to call it.
public struct EvoLinkClientConfiguration: Sendable, CustomStringConvertible {
    /// Scheme and authority, no trailing slash (PROVIDER.md: `https://api.evolink.ai`).
    public var baseURL: String
    /// Bearer token. Never logged; `description` redacts it.
    public var apiKey: String
    /// Validate submits locally first, so a request the provider would refuse is never
    /// sent (and never risks a charge).
    public var validateBeforeSubmit: Bool
    public var validationLimits: ValidationLimits
    /// Largest response body accepted from the provider, in bytes.
    public var maxResponseBytes: Int

    public static let defaultBaseURL = "https://api.evolink.ai"

    public init(baseURL: String = EvoLinkClientConfiguration.defaultBaseURL, apiKey: String,
                validateBeforeSubmit: Bool = true,
                validationLimits: ValidationLimits = ValidationLimits(),
                maxResponseBytes: Int = 4 * 1024 * 1024) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiKey = apiKey
        self.validateBeforeSubmit = validateBeforeSubmit
        self.validationLimits = validationLimits
        self.maxResponseBytes = maxResponseBytes
    }

    public var description: String { "EvoLink(\(baseURL), key: <redacted>)" }
}
