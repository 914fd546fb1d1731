/// What to deliver for a task that just reached its terminal state.
struct CallbackPlan: Sendable {
    var taskID: String
    var url: String
    /// The terminal task JSON, same shape as the task query (PROVIDER.md).
    var body: [UInt8]
    /// Hold the first attempt back (late fault), seconds already scaled.
    var initialDelay: Double
    /// Send the terminal body once more after it was delivered.
    var duplicate: Bool
    /// Send this stale `processing` body after the terminal one (out of order).
    var staleBody: [UInt8]?
    /// The state epoch the plan was made in.
    var epoch: Int
}
