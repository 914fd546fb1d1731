import Dispatch
import Glibc
import Logging

/// One listening socket: accepts in batches on its own serial queue and hands each
/// connection to a loop, round robin.
final class HTTPListener: @unchecked Sendable {
    let fd: Int32
    let port: Int
    private let context: HTTPServerContext
    private let queue: DispatchQueue
    private var source: DispatchSourceRead?
    private var paused = false
    private var cancelled = false
    private var nextLoop = 0

    init(fd: Int32, context: HTTPServerContext) {
        self.fd = fd
        self.context = context
        port = HTTPSocket.localPort(fd)
        queue = DispatchQueue(label: "imagehook.http.accept.\(context.name)")
    }

    func start() {
        context.listenerOpened()
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [unowned self] in self.acceptReady() }
        source.setCancelHandler { [self] in
            HTTPSocket.close(self.fd)
            self.source = nil
            self.context.listenerClosed()
        }
        queue.sync { self.source = source }
        source.resume()
    }

    /// Stops accepting; the socket is closed once the source is cancelled, so new
    /// connection attempts are refused.
    func cancel() {
        queue.async {
            guard !self.cancelled, let source = self.source else { return }
            self.cancelled = true
            source.cancel()
            if self.paused {
                self.paused = false
                source.resume()
            }
        }
    }

    private func acceptReady() {
        guard !cancelled else { return }
        let configuration = context.configuration
        for _ in 0..<max(1, configuration.acceptBatch) {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let client = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    HTTPSocket.accept4(fd, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
                }
            }
            if client < 0 {
                let code = errno
                switch Self.disposition(ofAcceptError: code) {
                case .retry: continue
                case .drained: return
                case .pause:
                    pause(code)
                    return
                case .fail:
                    // The source would fire again at once; pausing keeps an unexpected
                    // error from turning into a busy loop of log lines.
                    context.logger.error("accept failed", metadata: ["error": "\(HTTPSocket.errorString(code))"])
                    pause(code)
                    return
                }
            }
            HTTPSocket.setNoDelay(client)
            let remote = HTTPSocket.describe(&storage)
            let count = context.connectionOpened()
            if count > configuration.maxConnections + configuration.maxRejectingConnections {
                HTTPSocket.close(client)
                context.connectionClosed()
                continue
            }
            let status: Int? = count > configuration.maxConnections ? 503 : nil
            let loop = context.loops[nextLoop % context.loops.count]
            nextLoop &+= 1
            let context = self.context
            loop.queue.async {
                HTTPConnection(fd: client, remoteAddress: remote, loop: loop, context: context,
                               rejectWith: status).start()
            }
        }
    }

    enum AcceptDisposition: Equatable {
        /// Try the next pending connection.
        case retry
        /// Nothing more to accept now.
        case drained
        /// Out of descriptors or memory: stop for a moment.
        case pause
        /// Unexpected: log and pause as well.
        case fail
    }

    /// What an `accept4` failure means. ECONNABORTED/EPROTO: the peer gave up between
    /// handshake and accept, which concerns only that connection; EMFILE/ENFILE (and
    /// ENOBUFS/ENOMEM): the pending connection stays queued, so retrying at once would
    /// spin.
    static func disposition(ofAcceptError code: Int32) -> AcceptDisposition {
        switch code {
        case EINTR, ECONNABORTED, EPROTO: .retry
        case EAGAIN, EWOULDBLOCK: .drained
        case EMFILE, ENFILE, ENOBUFS, ENOMEM: .pause
        default: .fail
        }
    }

    /// Out of descriptors: the pending connection would make the source fire at once
    /// again, so accepting stops briefly instead of spinning, and resumes by itself.
    private func pause(_ code: Int32) {
        guard let source, !paused else { return }
        context.logger.warning("accept paused", metadata: ["error": "\(HTTPSocket.errorString(code))"])
        paused = true
        source.suspend()
        queue.asyncAfter(deadline: .now() + context.configuration.acceptPauseOnExhaustion) {
            guard self.paused, !self.cancelled, let source = self.source else { return }
            self.paused = false
            source.resume()
        }
    }
}
