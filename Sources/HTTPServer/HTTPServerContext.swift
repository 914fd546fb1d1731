import Dispatch
import Logging
import Support

/// What a server's listeners and connections share: configuration, handler, logger,
/// the loops, and the counters behind the connection limit and graceful shutdown.
final class HTTPServerContext: @unchecked Sendable {
    let name: String
    let configuration: HTTPServerConfiguration
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
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        self.loops = loops
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
