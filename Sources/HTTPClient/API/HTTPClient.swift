import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The outbound HTTP/1.1 client over POSIX sockets and OpenSSL 3.
///
/// Each request runs its blocking socket work (non-blocking fds driven by poll() with
/// deadlines) on one of at most `maxConcurrentRequests` worker threads, never on
/// Swift's cooperative pool, and resumes the awaiting task when done. Requests beyond
/// that wait in a bounded queue (then fail `.overloaded`), and name lookups have a pool
/// of their own, so silent peers and DNS servers pin a fixed number of threads.
/// Cancellation wakes a blocked request at once (a wake pipe in every poll()).
public final class HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration
    private let tls: LazyTLSContext
    private let pool: ConnectionPool
    private let workers: BlockingWorkPool
    private let lookups: BlockingWorkPool

    /// OpenSSL writes (close_notify on a closed socket) can raise SIGPIPE, which would
    /// kill the process; a daemon wants EPIPE instead.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Never fails: an unusable TLS setup (e.g. unreadable `extraCAFile`) is reported as
    /// `.tls` by every https request.
    public init(configuration: HTTPClientConfiguration) {
        Self.ignoreSIGPIPE
        self.configuration = configuration
        tls = LazyTLSContext(extraCAFile: configuration.extraCAFile)
        pool = ConnectionPool(maxPerOrigin: configuration.maxIdleConnectionsPerOrigin,
                              expirySeconds: configuration.idleConnectionExpiry)
        workers = BlockingWorkPool(name: "request", maxThreads: configuration.maxConcurrentRequests,
                                   maxQueued: configuration.maxQueuedRequests)
        lookups = BlockingWorkPool(name: "dns", maxThreads: configuration.maxLookupsInFlight,
                                   maxQueued: configuration.maxQueuedLookups)
    }

    /// Sends the request and buffers the body (at most `maxBodyBytes`).
    public func execute(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse {
        let buffer = BufferSink()
        var response = try await execute(request, sink: buffer)
        response.body = buffer.bytes
        return response
    }

    /// Sends the request and streams the final response's body into `sink`; reading
    /// stops with `.tooLarge` before the sink receives more than `maxBodyBytes`. The sink
    /// is called on the request's I/O thread and must not be used by the caller until
    /// this returns.
    public func execute(_ request: HTTPClientRequest, sink: any HTTPBodySink) async throws(HTTPClientError) -> HTTPClientResponse {
        let cancel = CancellationFlag()
        let executor = RequestExecutor(configuration: configuration, tls: tls, pool: pool, lookups: lookups,
                                       cancel: cancel)
        let handOff = SinkHandOff(sink: sink)
        let workers = self.workers
        let result: Result<HTTPClientResponse, HTTPClientError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let queued = workers.submit {
                    // Cancelled while queued: no connection is opened at all.
                    let result = cancel.isCancelled ? .failure(.cancelled) : Result { () throws(HTTPClientError) in
                        try executor.run(request, sink: handOff.sink)
                    }
                    continuation.resume(returning: result)
                }
                if !queued {
                    continuation.resume(returning: .failure(.overloaded("every outbound worker is busy and the queue is full")))
                }
            }
        } onCancel: {
            cancel.cancel()
        }
        return try result.get()
    }

    /// Completion-handler form of the buffered `execute`: the request runs on its own
    /// serial Dispatch queue and `completion` is called there, so neither the request
    /// nor what the caller does next waits for Swift's cooperative pool. For callers
    /// whose timing must hold while that pool is busy (a retry schedule measured in
    /// seconds). Returns a cancel function; after it the request fails `.cancelled`
    /// within ~100 ms (a completed request is unaffected).
    @discardableResult
    public func execute(_ request: HTTPClientRequest,
                        completion: @escaping @Sendable (Result<HTTPClientResponse, HTTPClientError>) -> Void)
        -> @Sendable () -> Void {
        let cancel = CancellationFlag()
        let executor = RequestExecutor(configuration: configuration, tls: tls, pool: pool, lookups: lookups,
                                       cancel: cancel)
        let queued = workers.submit {
            let buffer = BufferSink()
            let result = cancel.isCancelled ? .failure(.cancelled) : Result { () throws(HTTPClientError) in
                var response = try executor.run(request, sink: buffer)
                response.body = buffer.bytes
                return response
            }
            completion(result)
        }
        if !queued {
            DispatchQueue.global().async { completion(.failure(.overloaded("every outbound worker is busy and the queue is full"))) }
        }
        return { cancel.cancel() }
    }

    /// Idle pooled connections (for tests and metrics).
    public var idleConnectionCount: Int { pool.idleCount }

    /// Threads this client's request and lookup pools hold right now.
    public var workerThreadCount: Int { workers.threadCount + lookups.threadCount }
}

/// The sink moves to the I/O thread for the duration of one request while the caller
/// is suspended awaiting it, so it is never used from two threads at once.
private struct SinkHandOff: @unchecked Sendable {
    let sink: any HTTPBodySink
}
