import Synchronization

/// A value behind a `Synchronization.Mutex`, as a shareable reference: the one lock the
/// package uses for state shared across threads, queues and tasks. A class (rather than
/// a bare `Mutex` stored property) so closures, handlers and value types can hold it.
/// The body runs with the lock held; keep it short and never block or await in it.
public final class Locked<Value>: @unchecked Sendable {  // `value` is touched only under `mutex`
    private let mutex = Mutex<Void>(())
    private var value: Value

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value and returns what it returns.
    public func withLock<R, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        var outcome: Result<R, E>?
        mutex.withLock { _ in
            do throws(E) { outcome = .success(try body(&value)) } catch { outcome = .failure(error) }
        }
        return try outcome!.get()
    }
}
