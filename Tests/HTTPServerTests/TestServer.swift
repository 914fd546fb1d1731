import HTTPServer
import Logging

/// A server on 127.0.0.1 with an ephemeral port, shut down by `stop()`.
struct TestServer {
    let server: HTTPServer
    var port: Int { server.boundPort }

    init(configuration: HTTPServerConfiguration = TestServer.quickConfiguration(),
         handler: any HTTPRequestHandler = TestHandler.echo) throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        server = HTTPServer(name: "test", configuration: configuration, handler: handler, logger: logger)
        try server.start(address: "127.0.0.1:0")
    }

    /// Header and idle timeouts far above any step of a passing test: in a whole-suite
    /// run an awaiting test can wait seconds for a thread to resume on, and a server
    /// that closed the connection meanwhile failed unrelated tests ("server closed the
    /// connection"). Failing tests still end quickly: every client receive is bounded by
    /// its own socket timeout. Tests of these timeouts set short ones themselves.
    static func quickConfiguration() -> HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration()
        configuration.headerTimeout = 30
        configuration.idleTimeout = 30
        configuration.lingerTimeout = 1
        configuration.eventLoops = 2
        return configuration
    }

    /// Starts a graceful shutdown and returns at once. Waiting for its completion here
    /// would park a cooperative-pool thread (this runs in a `defer`) for up to the
    /// deadline; tests that check shutdown itself await the completion themselves. The
    /// completion holds the server until it is done.
    func stop(deadline: Double = 2) {
        server.shutdown(deadline: deadline) { [server] in _ = server }
    }
}
