#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a mutex, as a shareable reference: the one lock the package uses for
/// state shared across threads, queues and tasks, with `Synchronization.Mutex`'s
/// semantics (scoped `withLock`, not recursive) and API. It is a class so closures,
/// handlers and value types can hold it.
///
/// Underneath is a pthread mutex rather than `Mutex` itself: on Linux `Mutex` is built on
/// raw futexes, which ThreadSanitizer does not see, so every access it guards is reported
/// as a race; pthread locks are intercepted, so the thread-sanitizer step in CI checks
/// the real ordering. The body runs with the lock held: keep it short, never block or
/// await in it.
public final class Locked<Value>: @unchecked Sendable {  // `value` is touched only under `mutex`
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value and returns what it returns.
    public func withLock<R, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
