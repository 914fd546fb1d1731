import Dispatch

/// Sends WATCHDOG=1 at a fixed interval while `isHealthy` says the daemon can still do
/// work; systemd restarts the service when the pings stop (WatchdogSec=).
public final class WatchdogPinger: @unchecked Sendable {  // the timer is only cancelled, which is thread-safe
    private let timer: DispatchSourceTimer

    public init(notifier: SystemdNotifier, interval: Double,
                isHealthy: @escaping @Sendable () -> Bool = { true }) {
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "imagehookd.watchdog"))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(50))
        timer.setEventHandler {
            if isHealthy() { notifier.watchdog() }
        }
        timer.resume()
    }

    public func stop() { timer.cancel() }

    deinit { timer.cancel() }
}
