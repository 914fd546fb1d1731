import EvoLink

/// A remembered submit: the request it carried and the exact answer, replayed for the
/// same key and body (the provider's `idempotency-replayed: true`).
struct IdempotencyEntry: Sendable {
    var request: GenerationRequest
    var taskID: String
    var response: [UInt8]
    var expires: Double
}
