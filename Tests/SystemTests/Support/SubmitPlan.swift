/// One logical submit of the chaos run: what a caller asks for, under one
/// Idempotency-Key that it keeps across its own retries.
struct SubmitPlan: Sendable, Hashable {
    var index: Int
    var idempotencyKey: String
    var n: Int
    var width: Int
    var height: Int
    /// Pause before this submit, so the load spreads over the kills.
    var pauseBefore: Double
    /// The caller's own `callback_url`, where the daemon relays the finished task.
    var relayURL: String?

    var size: String { "\(width)x\(height)" }

    var body: String {
        let relay = relayURL.map { #","callback_url":"\#($0)""# } ?? ""
        return #"{"model":"wan2.5-text-to-image","prompt":"system crash test #\#(index) \#(idempotencyKey)","size":"\#(size)","n":\#(n)\#(relay)}"#
    }

    /// Valid sizes (W*H within [768², 1440²], ratio within [1/4, 4]) kept near the lower
    /// bound: every image is rendered, encoded, downloaded and verified in debug builds.
    static let sizes: [(Int, Int)] = [(768, 768), (1024, 576), (576, 1024), (896, 672)]
}
