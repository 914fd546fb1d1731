import HTTP1

/// Operator actions on one task that the daemon answers itself on the internal
/// listener (`POST /v1/tasks/{id}/retry`, `POST /v1/tasks/{id}/replay`), with the same
/// bearer tokens as the service.
public struct TaskActions: Sendable {
    /// Whether the request's bearer token belongs to an internal caller: the service's
    /// own check, so a SIGHUP token change applies to these routes too.
    public var isAuthorized: @Sendable (HTTPHeaders) -> Bool
    /// Whether the request's caller may act on the task: it exists and is theirs, or
    /// they are an admin. False answers 404, like an unknown id.
    public var mayAccess: @Sendable (HTTPHeaders, String) async throws -> Bool
    /// Re-queues the task's failed downloads; returns how many, nil when the task is unknown.
    public var retryDownloads: @Sendable (String) async throws -> Int?

    /// Re-sends the task's journaled callbacks through the public path; returns their
    /// statuses, nil when the task is unknown.
    public var replayCallbacks: @Sendable (String) async throws -> [Int]?

    public init(isAuthorized: @escaping @Sendable (HTTPHeaders) -> Bool,
                mayAccess: @escaping @Sendable (HTTPHeaders, String) async throws -> Bool,
                retryDownloads: @escaping @Sendable (String) async throws -> Int?,
                replayCallbacks: @escaping @Sendable (String) async throws -> [Int]?) {
        self.isAuthorized = isAuthorized
        self.mayAccess = mayAccess
        self.retryDownloads = retryDownloads
        self.replayCallbacks = replayCallbacks
    }

    /// `POST /v1/tasks/{id}/retry` or `/replay` -> (id, action).
    static func target(_ head: HTTPRequestHead) -> (id: String, action: String)? {
        let path = head.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == "v1", parts[2] == "tasks",
              parts[4] == "retry" || parts[4] == "replay", !parts[3].isEmpty else { return nil }
        return (String(parts[3]), String(parts[4]))
    }
}
