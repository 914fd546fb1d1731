import ArgumentParser
import HTTPServer

/// The HTTP layer alone behind `HealthHandler`, for `.ci/bench-http` (its
/// `BENCH_SERVER` hook) and the idle-connection benchmark.
struct HTTPServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http-server",
        abstract: "Serve GET /healthz with the HTTPServer layer alone (prints LISTENING <port>).")

    @Argument(help: "Listen address.")
    var address = "127.0.0.1:0"
    @Option(help: "Open connections allowed (the server's maxConnections).")
    var maxConnections = HTTPServerConfiguration().maxConnections
    @Option(help: "Keep-alive idle timeout, seconds.")
    var idleTimeout = HTTPServerConfiguration().idleTimeout
    @Flag(help: "Exit when stdin reaches end of file (set by a parent benchmark).")
    var untilStdinCloses = false

    func run() throws {
        ServerLifetime.raiseDescriptorLimit()
        var config = HTTPServerConfiguration()
        config.maxConnections = maxConnections
        config.idleTimeout = idleTimeout
        config.writesAccessLog = false
        let server = HTTPServer(name: "bench", configuration: config, handler: HealthHandler(), logger: BenchService.logger)
        try server.start(address: address)
        ServerLifetime.announce(port: server.boundPort)
        ServerLifetime.serve(untilStdinCloses: untilStdinCloses)
    }
}
