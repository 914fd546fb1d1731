import Dispatch
import Logging
import Support

/// What a server's listeners and connections share: configuration, handler, logger,
/// the loops, and the counters behind the connection limit and graceful shutdown.
final class HTTPServerContext: @unchecked Sendable {
    let name: String
    /// Read when a connection is accepted (it keeps that copy for its whole life) and
    /// by the listener per accept; `applyLimits` replaces the limits for new connections.
    private let current: Locked<HTTPServerConfiguration>
    var configuration: HTTPServerConfiguration { current.withLock { $0 } }
    let handler: any HTTPRequestHandler
    let logger: Logger
    let loops: [HTTPEventLoop]

    private struct State {
        var connections = 0
        var listeners = 0
        var shuttingDown = false
        var completions: [@Sendable () -> Void] = []
    }

    private let state = Locked(State())

    init(name: String, configuration: HTTPServerConfiguration, handler: any HTTPRequestHandler,
         logger: Logger, loops: [HTTPEventLoop]) {
        self.name = name
        self.current = Locked(configuration)
        self.handler = handler
        self.logger = logger
        self.loops = loops
    }

    /// Takes `fresh`'s request limits, timeouts and connection limit; everything fixed
    /// when the server was built (event loops, buffers, backlog, timer, observer) stays.
    func applyLimits(_ fresh: HTTPServerConfiguration) {
        current.withLock { c in
            c.parserLimits = fresh.parserLimits
            c.maxConnections = fresh.maxConnections
            c.maxRejectingConnections = fresh.maxRejectingConnections
            c.maxPipelinedRequests = fresh.maxPipelinedRequests
            c.headerTimeout = fresh.headerTimeout
            c.bodyTimeout = fresh.bodyTimeout
            c.idleTimeout = fresh.idleTimeout
            c.writeTimeout = fresh.writeTimeout
            c.drainTimeout = fresh.drainTimeout
            c.lingerTimeout = fresh.lingerTimeout
            c.lingerMaxBytes = fresh.lingerMaxBytes
        }
    }

    var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    /// Counts an accepted socket; returns the count including it.
    func connectionOpened() -> Int {
        state.withLock { state in
            state.connections += 1
            return state.connections
        }
    }

    func connectionClosed() {
        state.withLock { $0.connections -= 1 }
        completeIfIdle()
    }

    func listenerOpened() {
        state.withLock { $0.listeners += 1 }
    }

    func listenerClosed() {
        state.withLock { $0.listeners -= 1 }
        completeIfIdle()
    }

    var openConnections: Int { state.withLock { $0.connections } }

    /// Marks the shutdown; returns false if one was already under way (the completion
    /// is then called with the first one's).
    func beginShutdown(_ completion: @escaping @Sendable () -> Void) -> Bool {
        state.withLock { state in
            let first = !state.shuttingDown
            state.shuttingDown = true
            state.completions.append(completion)
            return first
        }
    }

    /// Finishes the shutdown once nothing is open any more.
    func completeIfIdle() {
        let done = state.withLock { state -> [@Sendable () -> Void] in
            guard state.shuttingDown, state.connections <= 0, state.listeners <= 0 else { return [] }
            defer { state.completions = [] }
            return state.completions
        }
        finish(done)
    }

    /// Finishes the shutdown now (deadline reached).
    func complete() {
        let done = state.withLock { state -> [@Sendable () -> Void] in
            defer { state.completions = [] }
            return state.completions
        }
        finish(done)
    }

    private func finish(_ completions: [@Sendable () -> Void]) {
        guard !completions.isEmpty else { return }
        for loop in loops { loop.stopTimer() }
        for completion in completions { completion() }
    }
}
