import Support

/// One lookup's answer, handed from its pool thread to the waiting request: the result
/// under a lock, and a wake pipe made readable when it is there, so the waiter blocks in
/// one poll() with its deadline and cancellation instead of a polling loop. Outlives an
/// abandoned waiter (the pool job holds it).
final class LookupResult: Sendable {
    private let pipe = WakePipe()
    private let value = Locked<Result<[IPAddress], HTTPClientError>?>(nil)

    var fd: Int32 { pipe.readFD }

    func finish(_ result: Result<[IPAddress], HTTPClientError>) {
        value.withLock { $0 = result }
        pipe.signal()
    }

    var result: Result<[IPAddress], HTTPClientError>? { value.withLock { $0 } }
}
