import HTTPServer
import Support

/// The service handler behind a listener, filled in once the service is up. Listeners
/// bind first (so systemd's queued connections are accepted early); until the slot is
/// filled, service routes answer 503 with Retry-After and the client (or the provider's
/// retry) comes back.
public final class HandlerSlot: Sendable {
    private struct State {
        var handler: (any HTTPRequestHandler)?
        var filled = false
        var actions: TaskActions?
    }
    private let state = Locked(State())

    public init() {}

    public func fill(_ handler: (any HTTPRequestHandler)?, actions: TaskActions? = nil) {
        state.withLock { state in
            state.handler = handler
            state.actions = actions
            state.filled = true
        }
    }

    public var taskActions: TaskActions? { state.withLock { $0.actions } }

    /// (is the service up, its handler if it has one for this listener)
    public var current: (ready: Bool, handler: (any HTTPRequestHandler)?) {
        state.withLock { ($0.filled, $0.handler) }
    }
}
