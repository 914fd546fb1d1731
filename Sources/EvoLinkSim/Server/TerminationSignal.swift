import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// Waiting for SIGINT or SIGTERM, for the `evolink-sim` executable's clean shutdown.
public enum TerminationSignal {
    /// Whether a signal came, and who waits for it.
    private final class Latch: Sendable {
        let state = Locked<(fired: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

        func fire() {
            let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                s.fired = true
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume()
        }

        func wait(_ c: CheckedContinuation<Void, Never>) {
            let fired = state.withLock { s -> Bool in
                if !s.fired { s.waiter = c }
                return s.fired
            }
            if fired { c.resume() }
        }
    }

    /// Returns when the process receives SIGINT or SIGTERM. The signals' default action
    /// is replaced for the rest of the process's life.
    public static func wait() async {
        let latch = Latch()
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { latch.fire() }
            source.resume()
            sources.append(source)
        }
        await withCheckedContinuation { latch.wait($0) }
        for source in sources { source.cancel() }
    }
}
