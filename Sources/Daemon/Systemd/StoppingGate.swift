import Support

/// Keeps periodic STATUS= updates from following STOPPING=1. The status task checks
/// "still serving", awaits the service's metrics, then sends; a shutdown in between
/// would otherwise let a stale "serving; ..." line overwrite "shutting down" in
/// `systemctl status` (systemd keeps the last STATUS= it received; sd_notify(3)).
/// The check and the send happen under one lock, and so does the switch to stopping.
final class StoppingGate: Sendable {
    private let stopping = Locked(false)

    /// Runs `send` unless stopping has begun; true when it ran.
    @discardableResult
    func unlessStopping(_ send: () -> Void) -> Bool {
        stopping.withLock { stopping in
            guard !stopping else { return false }
            send()
            return true
        }
    }

    /// Marks stopping and runs `send` (STOPPING=1) once; no `unlessStopping` send runs after it.
    func beginStopping(_ send: () -> Void) {
        stopping.withLock { stopping in
            guard !stopping else { return }
            stopping = true
            send()
        }
    }
}
