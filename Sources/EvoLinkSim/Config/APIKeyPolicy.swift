/// What one API key may do: use the model (else 403 `model_access_denied`), spend up
/// to `quota` credits (else 402 `insufficient_quota`; a submit reserves `n`), and make
/// `rateLimit` API requests per `rateWindow` seconds (else 429 with Retry-After).
public struct APIKeyPolicy: Sendable, Hashable {
    public var modelAllowed: Bool
    public var quota: Double?
    public var rateLimit: Int?
    public var rateWindow: Double

    public init(modelAllowed: Bool = true, quota: Double? = nil, rateLimit: Int? = nil,
                rateWindow: Double = 60) {
        self.modelAllowed = modelAllowed
        self.quota = quota
        self.rateLimit = rateLimit
        self.rateWindow = rateWindow
    }
}
