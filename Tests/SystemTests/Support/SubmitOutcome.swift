/// How a logical submit ended after the caller's retries.
struct SubmitOutcome: Sendable {
    var plan: SubmitPlan
    /// The task id from the first 2xx answer; nil when none came within the bound.
    var taskID: String?
    var attempts: Int
    /// The last non-2xx status or transport error, for the report.
    var lastProblem: String?
    /// A definitive refusal (4xx other than 409/429): a bug in the test or the daemon.
    var refusedWith: Int?
}
