import EvoLink
import EvoLinkSim
import Foundation
import HTTP1
import HTTPClient
import HTTPServer
import Logging
import Store
import Testing
@testable import ImageHook
import Support

/// A unique temp directory per test, removed at the end.
final class TempDir: Sendable {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "imagehook-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A clock the test can move forward (to pass link expiry).
final class TestClock: ServiceClock {
    let offset = Locked(0.0)
    func now() -> Double { Date().timeIntervalSince1970 + offset.withLock { $0 } }
    func advance(_ seconds: Double) { offset.withLock { $0 += seconds } }
}

/// Records relay POSTs; answers with the statuses queued, then 200.
final class RelayReceiver: HTTPRequestHandler {
    struct Delivery: Sendable { var headers: HTTPHeaders; var body: [UInt8] }
    let deliveries = Locked<[Delivery]>([])
    let failures = Locked<[Int]>([])

    func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
        let status = failures.withLock { $0.isEmpty ? 200 : $0.removeFirst() }
        deliveries.withLock { $0.append(Delivery(headers: request.head.headers, body: request.body)) }
        responder.send(HTTPServerResponse(status: status))
    }
}

/// Simulator + service + both listeners + a relay receiver, all on 127.0.0.1 with
/// ephemeral ports.
final class Harness: @unchecked Sendable {
    static let callerToken = "caller-token-0123456789"
    let dir = TempDir()
    let sim: Simulator
    let clock = TestClock()
    let relay = RelayReceiver()
    var service: ImageHookService!
    var publicServer: HTTPServer!
    var internalServer: HTTPServer!
    var relayServer: HTTPServer!
    let client = HTTPClient(configuration: HTTPClientConfiguration(allowPlainHTTP: true, addressPolicy: .trusted,
                                                                   maxIdleConnectionsPerOrigin: 0))
    let logger: Logger
    var configuration: ServiceConfiguration!
    let relaySecret = "whsec_" + Data("test-relay-secret-32-bytes-long!".utf8).base64EncodedString()

    let box = HandlerBox()
    var wrapProvider: @Sendable (any ProviderAPI) -> any ProviderAPI = { $0 }
    var evolink: EvoLinkClient!
    var loopback: HTTPClient!

    init(sim simConfig: SimulatorConfiguration = Harness.fastSim(), tweak: (inout ServiceConfiguration) -> Void = { _ in },
         wrapProvider: @escaping @Sendable (any ProviderAPI) -> any ProviderAPI = { $0 }) throws {
        self.wrapProvider = wrapProvider
        var logger = Logger(label: "imagehook.test")
        logger.logLevel = ProcessInfo.processInfo.environment["IMAGEHOOK_TEST_LOG"] == nil ? .critical : .info
        self.logger = logger
        sim = Simulator(configuration: simConfig, logger: logger)
        try sim.start()
        relayServer = HTTPServer(name: "relay", configuration: HTTPServerConfiguration(), handler: relay, logger: logger)
        try relayServer.start(address: "127.0.0.1:0")
        // The public listener's port must be known before the service is built (its
        // URL goes into callback URLs), so the handler forwards to a late-bound box.
        publicServer = HTTPServer(name: "public", configuration: HTTPServerConfiguration(), handler: box.publicSide, logger: logger)
        try publicServer.start(address: "127.0.0.1:0")
        internalServer = HTTPServer(name: "internal", configuration: HTTPServerConfiguration(), handler: box.internalSide, logger: logger)
        try internalServer.start(address: "127.0.0.1:0")
        var config = ServiceConfiguration(publicURL: "http://127.0.0.1:\(publicServer.boundPort)", dataDirectory: dir.path,
                                          internalTokens: ["tester": Self.callerToken],
                                          imageBaseURL: "http://127.0.0.1:\(internalServer.boundPort)",
                                          relaySecret: relaySecret)
        config.downloadBackoffBase = 0.05
        config.downloadBackoffCap = 0.2
        config.pollGrace = 0.3
        config.pollDefaultEstimate = 1
        config.pollBackoffBase = 0.2
        config.pollBackoffCap = 0.5
        config.relayBackoffBase = 0.05
        config.relayBackoffCap = 0.2
        config.submitRetryBase = 0.05
        config.schedulerIdle = 0.1
        config.ambiguousResolveInterval = 0.3
        tweak(&config)
        configuration = config
        evolink = EvoLinkClient(
            configuration: EvoLinkClientConfiguration(baseURL: sim.baseURL, apiKey: "sim-key", validateBeforeSubmit: false),
            transport: HTTPClient(configuration: HTTPClientConfiguration(allowPlainHTTP: true, addressPolicy: .trusted)),
            logger: logger)
        loopback = HTTPClient(configuration: HTTPClientConfiguration(allowPlainHTTP: true, addressPolicy: .trusted,
                                                                         maxIdleConnectionsPerOrigin: 0))
        try makeService()
    }

    func makeService() throws {
        service = try ImageHookService(configuration: configuration, logger: logger,
                                       provider: wrapProvider(EvoLinkProvider(client: evolink)),
                                       fetcher: HTTPImageFetcher(client: loopback), relaySender: HTTPRelaySender(client: loopback),
                                       clock: clock)
        box.set(service)
    }

    /// Stops the service (listeners stay up) and starts a fresh one on the same data
    /// directory, as a restart of the daemon would.
    func restartService() async throws {
        await service.shutdown()
        try makeService()
        try await service.start()
    }

    /// The callback token of a submission (tests forge provider callbacks with it).
    func callbackToken(key: String, caller: String = "tester") async throws -> String {
        let record = try await service.database.read { try SubmissionRepository.find(caller: caller, key: key, in: $0) }
        return service.context.tokens.token(nonce: try #require(record).tokenNonce)
    }

    static func fastSim(_ tweak: (inout SimulatorConfiguration) -> Void = { _ in }) -> SimulatorConfiguration {
        var c = SimulatorConfiguration(timeScale: 0.05, allowInsecureCallbacks: true)
        c.callbackRetryDelays = [0.2, 0.4, 0.8]
        c.estimatedTime = 1
        tweak(&c)
        return c
    }

    var relayURL: String { "http://127.0.0.1:\(relayServer.boundPort)/hook" }
    var internalURL: String { "http://127.0.0.1:\(internalServer.boundPort)" }
    var publicURL: String { "http://127.0.0.1:\(publicServer.boundPort)" }

    func start() async throws { try await service.start() }

    func stop() async {
        for server in [publicServer, internalServer, relayServer] {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                server!.shutdown(deadline: 1) { c.resume() }
            }
        }
        await service.shutdown()
        await sim.stop()
        dir.remove()
    }

    static func body(prompt: String = "a lake at sunset", size: String = "768x768", n: Int = 1,
                     callbackURL: String? = nil) -> [UInt8] {
        var pairs: [(String, JSONValue)] = [("model", .string("wan2.5-text-to-image")), ("prompt", .string(prompt)),
                                            ("size", .string(size)), ("n", .int(n))]
        if let callbackURL { pairs.append(("callback_url", .string(callbackURL))) }
        return JSONValue.object(pairs).encoded()
    }

    func submit(_ body: [UInt8], key: String? = nil, token: String = Harness.callerToken) async throws -> HTTPClientResponse {
        var headers: HTTPHeaders = ["Content-Type": "application/json", "Authorization": "Bearer \(token)"]
        if let key { headers.add(name: "Idempotency-Key", value: key) }
        return try await client.execute(HTTPClientRequest(method: "POST", url: internalURL + "/v1/images/generations",
                                                          headers: headers, body: body))
    }

    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> HTTPClientResponse {
        var h = headers
        h.add(name: "Authorization", value: "Bearer \(Self.callerToken)")
        return try await client.execute(HTTPClientRequest(method: "GET", url: internalURL + path, headers: h))
    }

    func postCallback(token: String, body: [UInt8]) async throws -> HTTPClientResponse {
        try await client.execute(HTTPClientRequest(method: "POST", url: publicURL + "/v1/callbacks/" + token,
                                                   headers: ["Content-Type": "application/json"], body: body))
    }

    func task(_ id: String) async throws -> JSONValue? {
        JSONValue.parse(try await get("/v1/tasks/" + id).body)
    }

    /// Polls `condition` every 50 ms until true or `timeout` seconds pass.
    @discardableResult
    func eventually(timeout: Double = 15, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return true }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return try await condition()
    }

    /// Waits until the task's images and relay (if any) are all settled.
    func waitSettled(_ id: String, relay: Bool = true, timeout: Double = 60) async throws -> JSONValue? {
        var last: JSONValue?
        _ = try await eventually(timeout: timeout) {
            last = try await task(id)
            guard let t = last, case .string(let status)? = t["status"],
                  TaskPhase(rawValue: status)?.isTerminal == true,
                  case .array(let images)? = t["images"] else { return false }
            let settled = images.allSatisfy { img in
                if case .string(let s)? = img["state"] { return s != "queued" && s != "running" }
                return false
            }
            guard settled else { return false }
            let l = try await service.ledger()
            return !relay || l.relaysPending == 0
        }
        return last
    }
}

/// Forwards to the service's handlers once it exists.
final class HandlerBox: @unchecked Sendable {
    private let service = Locked<ImageHookService?>(nil)
    func set(_ s: ImageHookService) { service.withLock { $0 = s } }

    var publicSide: Side { Side(box: self, isPublic: true) }
    var internalSide: Side { Side(box: self, isPublic: false) }

    struct Side: HTTPRequestHandler {
        let box: HandlerBox
        let isPublic: Bool
        func bodyLimit(for head: HTTPRequestHead) -> Int {
            guard let s = box.service.withLock({ $0 }) else { return 0 }
            return isPublic ? s.publicHandler.bodyLimit(for: head) : s.internalHandler.bodyLimit(for: head)
        }
        func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
            guard let s = box.service.withLock({ $0 }) else { responder.send(HTTPServerResponse(status: 503)); return }
            if isPublic { s.publicHandler.handle(request, responder: responder) }
            else { s.internalHandler.handle(request, responder: responder) }
        }
    }
}

extension JSONValue {
    var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    var arrayValue: [JSONValue] { if case .array(let a) = self { a } else { [] } }
    var intValue: Int? { if case .number(let d) = self { Int(d) } else { nil } }
}
