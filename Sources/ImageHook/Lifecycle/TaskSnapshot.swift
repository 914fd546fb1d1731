/// The canonical content of one task report (callback body, poll answer or submit
/// answer): the fields the lifecycle compares. Two reports with equal snapshots are
/// duplicates whatever their raw bytes (key order, unknown extra fields).
public struct TaskSnapshot: Sendable, Hashable, Codable {
    public var status: TaskPhase
    /// 0...100; only ever increases while the task is unfinished.
    public var progress: Int
    /// Result URLs; may hold fewer than `n` (moderation drops images).
    public var results: [String]
    public var errorCode: String?
    public var errorMessage: String?

    public init(status: TaskPhase, progress: Int = 0, results: [String] = [],
                errorCode: String? = nil, errorMessage: String? = nil) {
        self.status = status
        self.progress = max(0, min(100, progress))
        self.results = results
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }
}
