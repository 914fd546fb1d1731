import EvoLink

/// Everything the simulator can be told at start. Defaults behave like the provider
/// (EvoLink/PROVIDER.md) with a short lifecycle so local development is quick.
public struct SimulatorConfiguration: Sendable {
    /// API keys and what each may do. Empty means any non-empty bearer token is a
    /// valid key governed by `defaultKeyPolicy` (handy for local development).
    public var keys: [String: APIKeyPolicy]
    /// The policy of tokens accepted because `keys` is empty.
    public var defaultKeyPolicy: APIKeyPolicy
    /// Multiplies every simulated duration (lifecycle, callback retry gaps, late
    /// callbacks, slow images). 0.1 makes tests ten times faster.
    public var timeScale: Double
    /// How long a task stays pending, then processing (seconds, before scaling).
    public var pendingSeconds: Double
    public var processingSeconds: Double
    /// Progress reported while processing, rising linearly across this range.
    public var progressRange: ClosedRange<Int>
    /// `task_info.estimated_time` on new tasks; nil reports the scaled lifecycle length
    /// rounded up (the provider reports about 30 s for wan2.5).
    public var estimatedTime: Int?
    /// Result links stop working this long after the task was created (PROVIDER.md: 24 h).
    /// Not scaled.
    public var resultTTL: Double
    /// Status an expired result link answers: 403 like a signed CDN URL, or 404 / 410.
    public var expiredLinkStatus: Int
    /// Base of result URLs; nil uses `http://<bound address>`.
    public var publicBaseURL: String?
    /// Callback delivery (PROVIDER.md, Callbacks).
    public var callbackTimeout: Double
    public var callbackRetryDelays: [Double]
    /// Extra trust anchors (PEM) for HTTPS callback receivers with a private CA.
    public var callbackCAFile: String?
    /// Local development only: allow `http` callback URLs and loopback/private hosts.
    public var allowInsecureCallbacks: Bool
    /// Idempotency keys are remembered this long (seconds, not scaled).
    public var idempotencyTTL: Double
    /// Faults active from the start (flags); the control endpoint changes them later.
    public var faults: FaultRates
    /// Whether `[sim:...]` directives in prompts set per-task faults.
    public var promptDirectives: Bool
    /// Seed for the fault dice, so a run can be repeated.
    public var randomSeed: UInt64
    /// Rendered PNGs kept in memory for repeated downloads.
    public var maxCachedImages: Int
    /// Largest request body accepted on the API.
    public var maxRequestBodyBytes: Int
    /// Validation rules (PROVIDER.md, Submit); `allowInsecureCallbacks` overrides the callback one.
    public var validationLimits: ValidationLimits

    public init(keys: [String: APIKeyPolicy] = [:], timeScale: Double = 1,
                pendingSeconds: Double = 2, processingSeconds: Double = 8,
                progressRange: ClosedRange<Int> = TaskTimeline.defaultProgressRange,
                estimatedTime: Int? = nil, resultTTL: Double = 24 * 3600,
                expiredLinkStatus: Int = 403, publicBaseURL: String? = nil,
                callbackTimeout: Double = 10, callbackRetryDelays: [Double] = [1, 2, 4],
                callbackCAFile: String? = nil,
                allowInsecureCallbacks: Bool = false, idempotencyTTL: Double = 24 * 3600,
                faults: FaultRates = FaultRates(), promptDirectives: Bool = true, randomSeed: UInt64 = 0x5EED,
                maxCachedImages: Int = 32, maxRequestBodyBytes: Int = 64 * 1024,
                validationLimits: ValidationLimits = ValidationLimits(),
                defaultKeyPolicy: APIKeyPolicy = APIKeyPolicy()) {
        self.keys = keys
        self.defaultKeyPolicy = defaultKeyPolicy
        self.timeScale = timeScale
        self.pendingSeconds = pendingSeconds
        self.processingSeconds = processingSeconds
        self.progressRange = progressRange
        self.estimatedTime = estimatedTime
        self.resultTTL = resultTTL
        self.expiredLinkStatus = expiredLinkStatus
        self.publicBaseURL = publicBaseURL
        self.callbackTimeout = callbackTimeout
        self.callbackRetryDelays = callbackRetryDelays
        self.callbackCAFile = callbackCAFile
        self.allowInsecureCallbacks = allowInsecureCallbacks
        self.idempotencyTTL = idempotencyTTL
        self.faults = faults
        self.promptDirectives = promptDirectives
        self.randomSeed = randomSeed
        self.maxCachedImages = maxCachedImages
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.validationLimits = validationLimits
    }

    /// The limits submits are validated with.
    var effectiveLimits: ValidationLimits {
        var l = validationLimits
        l.allowInsecureCallbacks = allowInsecureCallbacks
        return l
    }

    /// Scaled seconds.
    func scaled(_ seconds: Double) -> Double { max(0, seconds * timeScale) }
}
