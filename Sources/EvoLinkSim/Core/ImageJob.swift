/// A result image to render and send, with the fault that shapes the answer.
struct ImageJob: Sendable, Hashable {
    var taskID: String
    var prompt: String
    var index: Int
    var width: Int
    var height: Int
    var fault: ImageFault?
    /// Seconds (scaled) to wait before answering, for the slow fault.
    var delay: Double
}
