import EvoLink

/// One simulated task: what was asked, how it will end, and its callback bookkeeping.
struct SimTask: Sendable {
    var id: String
    var apiKey: String
    var request: GenerationRequest
    var size: ImageSize
    var timeline: TaskTimeline
    var outcome: TaskOutcome
    var faults: TaskFaults
    var creditsReserved: Double
    /// Fixed `estimated_time` to report while unfinished; nil reports the time left.
    var estimatedTime: Int?
    /// Set once the terminal transition has been accounted (stats, refund).
    var settled = false

    var resultCount: Int {
        if case .completed(let n) = outcome { return n }
        return 0
    }

    /// The task as the provider would report it at `now`. `usage` is included on the
    /// create response only (PROVIDER.md: "usage (on create ...)").
    func detail(at now: Double, baseURL: String, includeUsage: Bool = false,
                forcedStatus: TaskStatus? = nil) -> TaskDetail {
        var (status, progress) = timeline.state(at: now, outcome: outcome)
        if let forcedStatus {
            status = forcedStatus
            progress = forcedStatus == .processing ? timeline.midProgress : progress
        }
        var d = TaskDetail(created: Int(timeline.created), id: id, model: request.model,
                           object: TaskDetail.imageObject, progress: progress, status: status,
                           type: "image")
        switch status {
        case .pending:
            d.taskInfo = TaskInfo(canCancel: true, estimatedTime: estimatedTime ?? remaining(now))
        case .processing:
            d.taskInfo = TaskInfo(canCancel: false, estimatedTime: estimatedTime ?? remaining(now))
        case .completed:
            d.taskInfo = TaskInfo(canCancel: false)
            d.results = (0..<resultCount).map { "\(baseURL)/files/\(id)/\($0).png" }
        case .failed:
            if case .failed(let code) = outcome {
                d.error = TaskError(code: code, message: Self.message(for: code), type: "task_error")
            }
        case .cancelled:
            d.taskInfo = TaskInfo(canCancel: false)
        }
        if includeUsage {
            d.usage = Usage(billingRule: "per_call", creditsReserved: creditsReserved, userGroup: "default")
        }
        return d
    }

    func remaining(_ now: Double) -> Int { max(0, Int((timeline.terminalAt - now).rounded(.up))) }

    static func message(for code: String) -> String {
        switch code {
        case "content_policy_violation": "Content policy violation. Please modify your prompt."
        case "request_cancelled": "The request was cancelled."
        case "generation_timeout": "Generation timed out."
        case "generation_failed_no_content": "The model produced no content."
        case "service_error", "service_unavailable": "The generation service failed."
        default: "Task failed (\(code))."
        }
    }
}
