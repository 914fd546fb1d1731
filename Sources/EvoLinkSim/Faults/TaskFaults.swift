/// The faults decided for one task at submit time (from the rates, the queue of
/// per-task faults, or set later through the control endpoint). Wire names are
/// snake_case for the control endpoint.
public struct TaskFaults: Sendable, Hashable, Codable {
    /// Never send the callback.
    public var dropCallback: Bool
    /// Send the terminal callback a second time after it was delivered.
    public var duplicateCallback: Bool
    /// After the terminal callback, send a stale `processing` one (out of order).
    public var staleCallback: Bool
    /// Hold the first callback attempt back this many seconds (scaled): late.
    public var callbackDelay: Double?
    /// Fail the task with this `error.code` (`request_cancelled` = cancellation as a
    /// failure).
    public var failWith: String?
    /// End the task as `cancelled`.
    public var cancel: Bool
    /// Produce this many results instead of `n` (fewer results than requested); a
    /// negative value means that many fewer than `n` (`-1` for n=4 gives 3).
    public var resultCount: Int?
    /// How its result links misbehave.
    public var image: ImageFault?

    public init(dropCallback: Bool = false, duplicateCallback: Bool = false,
                staleCallback: Bool = false, callbackDelay: Double? = nil, failWith: String? = nil,
                cancel: Bool = false, resultCount: Int? = nil, image: ImageFault? = nil) {
        self.dropCallback = dropCallback
        self.duplicateCallback = duplicateCallback
        self.staleCallback = staleCallback
        self.callbackDelay = callbackDelay
        self.failWith = failWith
        self.cancel = cancel
        self.resultCount = resultCount
        self.image = image
    }

    enum CodingKeys: String, CodingKey {
        case dropCallback = "drop_callback", duplicateCallback = "duplicate_callback"
        case staleCallback = "stale_callback", callbackDelay = "callback_delay"
        case failWith = "fail_with", cancel, resultCount = "result_count", image
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dropCallback = try c.decodeIfPresent(Bool.self, forKey: .dropCallback) ?? false
        duplicateCallback = try c.decodeIfPresent(Bool.self, forKey: .duplicateCallback) ?? false
        staleCallback = try c.decodeIfPresent(Bool.self, forKey: .staleCallback) ?? false
        callbackDelay = try c.decodeIfPresent(Double.self, forKey: .callbackDelay)
        failWith = try c.decodeIfPresent(String.self, forKey: .failWith)
        cancel = try c.decodeIfPresent(Bool.self, forKey: .cancel) ?? false
        resultCount = try c.decodeIfPresent(Int.self, forKey: .resultCount)
        image = try c.decodeIfPresent(ImageFault.self, forKey: .image)
    }
}
