/// One caller's limits; 0 means unlimited.
public struct CallerLimit: Sendable, Hashable {
    /// New submits (not idempotent replays) accepted per rolling minute.
    public var submitsPerMinute: Int
    /// Tasks (and submissions not yet answered) not yet terminal at once.
    public var tasksInFlight: Int

    public init(submitsPerMinute: Int, tasksInFlight: Int) {
        self.submitsPerMinute = submitsPerMinute
        self.tasksInFlight = tasksInFlight
    }
}

/// Per-caller quotas: a default and overrides by caller name (replaced on SIGHUP).
public struct CallerLimits: Sendable, Hashable {
    /// `caller_submits_per_minute` / `caller_tasks_in_flight`.
    public var standard = CallerLimit(submitsPerMinute: 600, tasksInFlight: 1_000)
    /// `caller_limits`: `name=submits_per_minute/tasks_in_flight` overrides.
    public var perCaller: [String: CallerLimit] = [:]

    public init() {}

    public func limit(for caller: String) -> CallerLimit { perCaller[caller] ?? standard }
}
