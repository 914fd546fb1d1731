import EvoLink
import EvoLinkSim
import Foundation
import HTTP1
import HTTPClient
import HTTPServer
import Logging
import Support

let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

func wallClock() -> Double { Date().timeIntervalSince1970 }

/// How long `eventually` waits by default. A bound, not an expectation: it returns as
/// soon as the condition holds, but a loaded full run (every suite in one process on two
/// cores) can hold up a test for well over ten seconds.
let eventuallyTimeout: Double = 60

/// Polls `condition` every 20 ms until it holds or `timeout` seconds pass.
func eventually(timeout: Double = eventuallyTimeout, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = wallClock() + timeout
    for _ in 0..<10_000 {
        if try await condition() { return true }
        if wallClock() > deadline { return false }
        try? await Task.sleep(nanoseconds: 20_000_000)
    }
    return false
}

/// A callback receiver on 127.0.0.1: answers from a script of statuses (then 200) and
/// records every arrival with its time. Status 0 in the script means "never answer".
final class CallbackReceiver: HTTPRequestHandler {
    struct Arrival: Sendable {
        var time: Double
        var body: [UInt8]
        var status: Int
        var path: String
    }

    private let state: Locked<(script: [Int], arrivals: [Arrival])>

    init(statuses: [Int] = []) { state = Locked((statuses, [])) }

    var arrivals: [Arrival] { state.withLock { $0.arrivals } }

    func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
        let status = state.withLock { s -> Int in
            let status = s.script.isEmpty ? 200 : s.script.removeFirst()
            s.arrivals.append(Arrival(time: wallClock(), body: request.body, status: status,
                                      path: String(request.head.path)))
            return status
        }
        if status != 0 { responder.send(HTTPServerResponse(status: status)) }
    }
}

/// A running receiver server.
struct ReceiverServer {
    let receiver: CallbackReceiver
    let server: HTTPServer

    init(statuses: [Int] = []) throws {
        receiver = CallbackReceiver(statuses: statuses)
        server = HTTPServer(name: "receiver", configuration: HTTPServerConfiguration(), handler: receiver,
                            logger: quietLogger)
        try server.start(address: "127.0.0.1:0")
    }

    var url: String { "http://127.0.0.1:\(server.boundPort)/v1/callbacks/secret-token" }
    var arrivals: [CallbackReceiver.Arrival] { receiver.arrivals }

    func stop() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            server.shutdown(deadline: 1) { c.resume() }
        }
    }
}

/// A simulator on 127.0.0.1 with a fast clock, a client for it, and a plain downloader.
struct SimHarness {
    let sim: Simulator
    let client: EvoLinkClient
    let http: HTTPClient

    static let fastRetries = [1.0, 2.0, 4.0]

    init(timeScale: Double = 0.1, pending: Double = 0.5, processing: Double = 1,
         configure: (inout SimulatorConfiguration) -> Void = { _ in },
         apiKey: String = "sk-test", validateLocally: Bool = true, logger: Logger = quietLogger) throws {
        var c = SimulatorConfiguration(timeScale: timeScale, pendingSeconds: pending, processingSeconds: processing,
                                       allowInsecureCallbacks: true)
        // A callback POST to a loopback receiver takes milliseconds, but on a saturated
        // machine (load 25 on two cores) seconds; tests that want a timeout set their own.
        c.callbackTimeout = 30
        configure(&c)
        sim = Simulator(configuration: c, logger: logger)
        try sim.start(address: "127.0.0.1:0")
        var cc = EvoLinkClientConfiguration(baseURL: sim.baseURL, apiKey: apiKey, validateBeforeSubmit: validateLocally)
        cc.validationLimits.allowInsecureCallbacks = true
        http = HTTPClient(configuration: HTTPClientConfiguration(allowPlainHTTP: true, addressPolicy: .trusted))
        client = EvoLinkClient(configuration: cc, transport: http, logger: quietLogger)
    }

    func client(apiKey: String) -> EvoLinkClient {
        var cc = client.configuration
        cc.apiKey = apiKey
        return EvoLinkClient(configuration: cc, transport: http, logger: quietLogger)
    }

    /// Polls the task until it is terminal (bounded).
    func waitTerminal(_ id: String, timeout: Double = eventuallyTimeout) async throws -> TaskDetail {
        var last: TaskDetail?
        _ = try await eventually(timeout: timeout) {
            last = try await client.task(id: id).0
            return last?.status.isTerminal == true
        }
        guard let last, last.status.isTerminal else { throw SimTestError.timeout("task \(id) not terminal") }
        return last
    }

    func get(_ url: String) async throws -> HTTPClientResponse {
        try await http.execute(HTTPClientRequest(method: "GET", url: url))
    }

    func control(_ method: String, _ path: String, _ body: String = "") async throws -> HTTPClientResponse {
        try await http.execute(HTTPClientRequest(method: method, url: sim.baseURL + path,
                                                 headers: ["Content-Type": "application/json"], body: Array(body.utf8)))
    }

    func stop() async { await sim.stop() }
}

enum SimTestError: Error { case timeout(String) }

/// Collects every log line (message and metadata) so tests can check what was logged.
final class LogCapture: Sendable {
    private let lines = Locked<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    var logger: Logger {
        Logger(label: "capture", factory: { _ in Handler(capture: self) })
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let text = "\(event.level) \(event.message) " + all.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
            capture.lines.withLock { $0.append(text) }
        }
    }
}
