/// Where a task report came from. All sources take the same apply path.
public enum TaskEventSource: String, Sendable, Hashable, Codable {
    case submit, callback, poll
}

/// One task report fed to the lifecycle.
public struct TaskEvent: Sendable, Hashable {
    public var source: TaskEventSource
    public var snapshot: TaskSnapshot

    public init(source: TaskEventSource, snapshot: TaskSnapshot) {
        self.source = source
        self.snapshot = snapshot
    }
}
