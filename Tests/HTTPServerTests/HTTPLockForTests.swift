import Dispatch

/// A value behind a serial queue, for state shared between a test and server threads.
final class HTTPLockForTests<Value>: @unchecked Sendable {
    private let queue = DispatchQueue(label: "test.lock")
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T {
        queue.sync { body(&value) }
    }
}
