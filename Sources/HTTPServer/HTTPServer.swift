import Dispatch
import Glibc
import HTTP1
import Logging
import Support

/// An HTTP/1.1 server (RFC 9112) on non-blocking POSIX sockets and Dispatch. Each
/// `start` adds a listener; connections are spread over a few serial queues.
public final class HTTPServer: Sendable {
    private let context: HTTPServerContext
    private let listeners = Locked<[HTTPListener]>([])

    public init(name: String, configuration: HTTPServerConfiguration, handler: any HTTPRequestHandler,
                logger: Logger) {
        HTTPSocket.ignoreSIGPIPE
        let count = configuration.eventLoops > 0
            ? configuration.eventLoops : min(16, 4 * max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        let seed = UInt64.random(in: 0..<(1 << 24)) & ~0xF
        let loops = (0..<count).map {
            HTTPEventLoop(index: $0, readBufferBytes: configuration.readBufferBytes, seed: seed)
        }
        context = HTTPServerContext(name: name, configuration: configuration, handler: handler,
                                    logger: logger, loops: loops)
        for loop in loops { loop.startTimer(resolution: configuration.timerResolution) }
    }

    /// Binds and listens on `address` (`127.0.0.1:0`, `[::1]:8080`, `*:80`).
    public func start(address: String) throws(HTTPServerError) {
        guard !context.isShuttingDown else { throw .shutDown }
        let parsed = try HTTPListenAddress(parsing: address)
        let fd = try HTTPSocket.listen(on: parsed, text: address, backlog: context.configuration.listenBacklog)
        startListener(fd)
    }

    /// Uses a listening socket passed by the service manager (socket activation).
    public func start(listeningSocket fd: Int32) throws(HTTPServerError) {
        guard !context.isShuttingDown else { throw .shutDown }
        try HTTPSocket.adoptListening(fd)
        startListener(fd)
    }

    private func startListener(_ fd: Int32) {
        let listener = HTTPListener(fd: fd, context: context)
        listeners.withLock { $0.append(listener) }
        listener.start()
        context.logger.info("listening", metadata: ["listener": "\(context.name)", "port": "\(listener.port)"])
    }

    /// Port of the first listener (the real one after binding port 0); 0 before `start`.
    public var boundPort: Int {
        listeners.withLock { $0.first?.port ?? 0 }
    }

    /// Open connections, including those still being answered 503.
    public var connectionCount: Int { context.openConnections }

    /// Graceful shutdown: stop accepting, let in-flight requests finish (their responses
    /// say `Connection: close`), close idle connections now; whatever is still open at
    /// the deadline is closed. `completion` runs once, when everything is closed or at
    /// the deadline.
    public func shutdown(deadline seconds: Double, completion: @escaping @Sendable () -> Void) {
        let first = context.beginShutdown(completion)
        let context = self.context
        if first {
            for listener in listeners.withLock({ $0 }) { listener.cancel() }
            for loop in context.loops {
                loop.queue.async { loop.forEachConnection { $0.shutdown() } }
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + max(0, seconds)) {
                let group = DispatchGroup()
                for loop in context.loops {
                    loop.queue.async(group: group) { loop.forEachConnection { $0.forceClose() } }
                }
                group.notify(queue: .global()) { context.complete() }
            }
        }
        context.completeIfIdle()
    }
}
