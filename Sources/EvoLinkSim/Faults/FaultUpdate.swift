/// Body of `POST /_sim/faults`. Every part is optional:
/// - `rates` replaces the fault rates;
/// - `next_tasks` appends per-task faults consumed by the next submits, in order;
/// - `next_api_statuses` appends statuses (429 or 5xx) the next API requests answer;
/// - `tasks` replaces the faults of existing tasks by id (e.g. break an image link).
public struct FaultUpdate: Sendable, Hashable, Codable {
    public var rates: FaultRates?
    public var nextTasks: [TaskFaults]?
    public var nextAPIStatuses: [Int]?
    public var tasks: [String: TaskFaults]?

    public init(rates: FaultRates? = nil, nextTasks: [TaskFaults]? = nil,
                nextAPIStatuses: [Int]? = nil, tasks: [String: TaskFaults]? = nil) {
        self.rates = rates
        self.nextTasks = nextTasks
        self.nextAPIStatuses = nextAPIStatuses
        self.tasks = tasks
    }

    enum CodingKeys: String, CodingKey {
        case rates, nextTasks = "next_tasks", nextAPIStatuses = "next_api_statuses", tasks
    }
}
