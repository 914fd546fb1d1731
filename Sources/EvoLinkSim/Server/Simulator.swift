import EvoLink
import HTTPServer
import Logging
import Support

/// The provider simulator, embeddable in tests and run by `evolink-sim`:
/// ```swift
/// let sim = Simulator(configuration: SimulatorConfiguration(timeScale: 0.1, allowInsecureCallbacks: true))
/// try sim.start()                      // 127.0.0.1, ephemeral port
/// let client = EvoLinkClient(configuration: .init(baseURL: sim.baseURL, apiKey: "k"), logger: log)
/// ...
/// try sim.applyFaults(FaultUpdate(nextTasks: [TaskFaults(failWith: "content_policy_violation")]))
/// print(sim.stats.callbacksDelivered)
/// await sim.stop()
/// ```
public final class Simulator: Sendable {
    public let configuration: SimulatorConfiguration
    private let engine: SimulatorEngine
    private let server: HTTPServer
    private let address = Locked<(host: String, port: Int)?>(nil)
    private let cut = Locked<CutConnectionListener?>(nil)

    /// `encodePNG` turns RGB8 pixels into PNG bytes; defaults to the project's encoder.
    public init(configuration: SimulatorConfiguration = SimulatorConfiguration(),
                logger: Logger = Logger(label: "evolink-sim"),
                encodePNG: (@Sendable ([UInt8], Int, Int) -> [UInt8])? = nil) {
        self.configuration = configuration
        engine = SimulatorEngine(configuration: configuration, logger: logger,
                                 encode: encodePNG ?? SimulatorPNG.encode)
        var serverConfig = HTTPServerConfiguration()
        serverConfig.eventLoops = 1
        server = HTTPServer(name: "evolink-sim", configuration: serverConfig,
                            handler: SimulatorHTTPHandler(engine: engine), logger: logger)
    }

    /// Binds `host:port` (port 0 picks a free one) and starts serving.
    public func start(address listen: String = "127.0.0.1:0") throws(SimulatorError) {
        guard address.withLock({ $0 == nil }) else { throw .alreadyStarted }
        do {
            try server.start(address: listen)
        } catch {
            throw .listen("\(listen): \(error)")
        }
        var host = String(listen[..<(listen.lastIndex(of: ":") ?? listen.endIndex)])
        if host == "*" || host == "0.0.0.0" || host.isEmpty { host = "127.0.0.1" }
        if host == "[::]" { host = "[::1]" }
        let port = server.boundPort
        address.withLock { $0 = (host, port) }
        engine.setBaseURL("http://\(host):\(port)")
        let engine = self.engine
        if let listener = try? CutConnectionListener(host: host, bytesFor: { engine.intactImage(path: $0) }) {
            cut.withLock { $0 = listener }
            engine.setCutBaseURL("http://\(host):\(listener.port)")
        } else {
            engine.logger.warning("cut_connection fault unavailable: its listener could not start")
        }
    }

    /// The bound port (0 before `start`).
    public var port: Int { address.withLock { $0?.port ?? 0 } }

    /// `http://host:port`, the API base and the origin of result links.
    public var baseURL: String {
        address.withLock { a in a.map { "http://\($0.host):\($0.port)" } ?? "" }
    }

    /// `host:port` as printed on the `listening` line.
    public var boundAddress: String {
        address.withLock { a in a.map { "\($0.host):\($0.port)" } ?? "" }
    }

    public var stats: SimStats { engine.stats }

    /// Same as `POST /_sim/faults`.
    public func applyFaults(_ update: FaultUpdate) throws(SimulatorError) { try engine.apply(update) }

    /// Same as `POST /_sim/reset`: forget tasks, zero counters, configured faults.
    public func reset() { engine.reset() }

    /// Ends a task now instead of at its scheduled time (tests that do not want to
    /// wait): it turns terminal with its planned outcome, is counted, and its callback
    /// goes out. No effect on a task already finished.
    public func finishNow(taskID: String) { engine.settle(taskID, finishingNow: true) }

    /// The task as `GET /v1/tasks/{id}` would report it now (no auth, no faults), or nil.
    public func task(id: String) -> TaskDetail? { engine.detail(id: id) }

    /// Stops listening and cancels pending settlements and callbacks.
    public func stop() async {
        engine.stop()
        cut.withLock { $0?.stop() }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            server.shutdown(deadline: 1) { c.resume() }
        }
    }
}
