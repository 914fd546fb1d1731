import Foundation
import HTTPServer

/// The service handler behind a listener, filled in once the service is up. Listeners
/// bind first (so systemd's queued connections are accepted early); until the slot is
/// filled, service routes answer 503 with Retry-After and the client (or the provider's
/// retry) comes back.
public final class HandlerSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var handler: (any HTTPRequestHandler)?
    private var filled = false
    private var actions: TaskActions?

    public init() {}

    public func fill(_ handler: (any HTTPRequestHandler)?, actions: TaskActions? = nil) {
        lock.withLock {
            self.handler = handler
            self.actions = actions
            filled = true
        }
    }

    public var taskActions: TaskActions? { lock.withLock { actions } }

    /// (is the service up, its handler if it has one for this listener)
    public var current: (ready: Bool, handler: (any HTTPRequestHandler)?) {
        lock.withLock { (filled, handler) }
    }
}
