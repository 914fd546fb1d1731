import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Delivers SIGTERM, SIGINT and SIGHUP as an async sequence, through Dispatch signal
/// sources (the default actions are ignored first, so the process is never killed
/// before it can shut down gracefully).
public final class SignalWatcher: @unchecked Sendable {  // sources are only cancelled after init
    public enum Signal: Sendable, Equatable { case terminate(Int32), reload }

    public let signals: AsyncStream<Signal>
    private var sources: [DispatchSourceSignal] = []

    public init() {
        var continuation: AsyncStream<Signal>.Continuation!
        signals = AsyncStream { continuation = $0 }
        let queue = DispatchQueue(label: "imagehookd.signals")
        for number in [SIGTERM, SIGINT, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            let yield = continuation!
            source.setEventHandler {
                yield.yield(number == SIGHUP ? .reload : .terminate(number))
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
