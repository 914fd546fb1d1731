/// The simulator's books, at `GET /_sim/stats`. They balance:
/// `callbacks_attempted = callbacks_delivered + callbacks_failed` (every HTTP attempt,
/// retries, duplicates and stale ones included) and
/// `tasks_submitted = tasks_completed + tasks_failed + tasks_cancelled + tasks_in_flight`.
public struct SimStats: Sendable, Hashable, Codable {
    public var requests = 0
    public var tasksSubmitted = 0
    public var tasksCompleted = 0
    public var tasksFailed = 0
    public var tasksCancelled = 0
    public var tasksInFlight = 0
    public var submitsRejected = 0
    public var idempotentReplays = 0
    public var creditsCharged = 0.0
    public var callbacksAttempted = 0
    public var callbacksDelivered = 0
    public var callbacksFailed = 0
    public var callbacksGivenUp = 0
    public var callbacksDropped = 0
    public var callbacksDuplicated = 0
    public var callbacksStale = 0
    public var callbacksRefused = 0
    public var imagesServed = 0
    public var imagesFaulted = 0
    public var imagesExpired = 0
    public var apiFaultsInjected = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case requests, tasksSubmitted = "tasks_submitted", tasksCompleted = "tasks_completed"
        case tasksFailed = "tasks_failed", tasksCancelled = "tasks_cancelled"
        case tasksInFlight = "tasks_in_flight", submitsRejected = "submits_rejected"
        case idempotentReplays = "idempotent_replays", creditsCharged = "credits_charged"
        case callbacksAttempted = "callbacks_attempted", callbacksDelivered = "callbacks_delivered"
        case callbacksFailed = "callbacks_failed", callbacksGivenUp = "callbacks_given_up"
        case callbacksDropped = "callbacks_dropped", callbacksDuplicated = "callbacks_duplicated"
        case callbacksStale = "callbacks_stale", callbacksRefused = "callbacks_refused"
        case imagesServed = "images_served", imagesFaulted = "images_faulted"
        case imagesExpired = "images_expired", apiFaultsInjected = "api_faults_injected"
    }
}
