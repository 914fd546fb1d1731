import Dispatch
import EvoLink
import Foundation
import HTTP1
import HTTPClient
import Logging
import Synchronization

/// The running simulator minus its listener: the state behind a lock, the timers that
/// settle tasks, the callback sender and the image cache.
final class SimulatorEngine: Sendable {
    let configuration: SimulatorConfiguration
    let logger: Logger
    private let state: Mutex<SimulatorState>
    private let callbackClient: HTTPClient
    private let timers = Mutex<(next: Int, running: [Int: Task<Void, Never>], stopped: Bool)>((0, [:], false))
    private let images = Mutex<(order: [String], bytes: [String: [UInt8]])>(([], [:]))
    /// Encodes RGB8 pixels as PNG.
    let encode: @Sendable (_ pixels: [UInt8], _ width: Int, _ height: Int) -> [UInt8]

    init(configuration: SimulatorConfiguration, logger: Logger,
         encode: @escaping @Sendable ([UInt8], Int, Int) -> [UInt8]) {
        self.configuration = configuration
        self.logger = logger
        self.encode = encode
        state = Mutex(SimulatorState(configuration: configuration, baseURL: "http://127.0.0.1"))
        var http = HTTPClientConfiguration(
            timeouts: HTTPClientTimeouts(connect: configuration.callbackTimeout, tls: configuration.callbackTimeout,
                                         firstByte: configuration.callbackTimeout, idle: configuration.callbackTimeout,
                                         total: configuration.callbackTimeout),
            maxBodyBytes: 64 * 1024, maxRedirects: 0, extraCAFile: configuration.callbackCAFile,
            allowPlainHTTP: configuration.allowInsecureCallbacks,
            addressPolicy: configuration.allowInsecureCallbacks
                ? .trusted : AddressPolicy(restrictAddresses: true, allowedPorts: nil),
            maxIdleConnectionsPerOrigin: 0, userAgent: "evolink-sim")
        http.proxy = .none
        callbackClient = HTTPClient(configuration: http)
    }

    func setCutBaseURL(_ url: String) { state.withLock { $0.cutBaseURL = url } }

    /// The intact PNG behind a result link path, for the cut-connection listener.
    func intactImage(path: String) -> [UInt8]? {
        let job: ImageJob? = state.withLock { s in
            let job = s.imageJob(path: path, now: Self.now())
            if job != nil { s.stats.imagesFaulted += 1 }
            return job
        }
        guard let job else { return nil }
        return png(for: job)
    }

    func setBaseURL(_ url: String) {
        state.withLock { s in
            if s.configuration.publicBaseURL == nil { s.baseURL = url }
        }
    }

    var stats: SimStats { state.withLock { $0.stats } }

    func detail(id: String) -> TaskDetail? {
        state.withLock { s in s.tasks[id].map { $0.detail(at: Self.now(), baseURL: s.resultBase(for: $0)) } }
    }

    func apply(_ update: FaultUpdate) throws(SimulatorError) {
        let result: Result<Void, SimControlError> = state.withLock { s in
            do throws(SimControlError) { try s.apply(update); return .success(()) } catch { return .failure(error) }
        }
        if case .failure(let e) = result { throw .invalidFaults(e.description) }
    }

    func reset() {
        state.withLock { $0.reset() }
        forgetWork()
    }

    /// Cancels timers and callbacks of the state before a reset and drops its images.
    private func forgetWork() {
        cancelTimers(stop: false)
        images.withLock { $0 = ([], [:]) }
    }

    func stop() { cancelTimers(stop: true) }

    private func cancelTimers(stop: Bool) {
        let running = timers.withLock { t in
            if stop { t.stopped = true }
            let r = Array(t.running.values)
            t.running = [:]
            return r
        }
        for task in running { task.cancel() }
    }

    /// Runs `body` as a tracked task that `stop`/`reset` cancel. Created under the lock
    /// so its own removal (also under the lock) cannot run before its insertion.
    private func spawn(_ body: @escaping @Sendable () async -> Void) {
        timers.withLock { t in
            guard !t.stopped else { return }
            t.next += 1
            let id = t.next
            t.running[id] = Task { [weak self] in
                await body()
                _ = self?.timers.withLock { $0.running.removeValue(forKey: id) }
            }
        }
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    static func sleep(_ seconds: Double) async -> Bool {
        guard seconds > 0 else { return !Task.isCancelled }
        do { try await Task.sleep(nanoseconds: UInt64(seconds * 1e9)) } catch { return false }
        return true
    }

    // MARK: - requests

    func handle(_ request: SimRequest, respond: @escaping @Sendable (SimResponse) -> Void) {
        let outcome = state.withLock { $0.handle(request, now: Self.now()) }
        switch outcome {
        case .respond(let response, let effects):
            for effect in effects { run(effect) }
            logger.info("\(request.method) \(request.path) -> \(response.status)")
            send(response, after: response.delay, respond)
        case .image(let job):
            DispatchQueue.global().async { [self] in
                let response = imageResponse(job)
                logger.info("\(request.method) \(request.path) -> \(response.status)",
                            metadata: job.fault.map { ["fault": "\($0.rawValue)"] } ?? [:])
                send(response, after: job.delay, respond)
            }
        }
    }

    private func send(_ response: SimResponse, after delay: Double,
                      _ respond: @escaping @Sendable (SimResponse) -> Void) {
        if delay > 0 {
            DispatchQueue.global().asyncAfter(deadline: .now() + delay) { respond(response) }
        } else {
            respond(response)
        }
    }

    private func run(_ effect: SimEffect) {
        switch effect {
        case .resetEngine:
            forgetWork()
        case .settleAt(let taskID, let time):
            spawn { [weak self] in
                guard await Self.sleep(time - Self.now()), let self else { return }
                self.settle(taskID)
            }
        }
    }

    func settle(_ taskID: String, finishingNow: Bool = false) {
        let (plan, status) = state.withLock { s in
            let now = Self.now()
            let plan = finishingNow ? s.finishNow(taskID: taskID, now: now) : s.settle(taskID: taskID, now: now)
            return (plan, s.tasks[taskID].map { "\($0.outcome)" } ?? "unknown")
        }
        logger.info("task settled", metadata: ["task": "\(taskID)", "outcome": "\(status)",
                                               "callback": "\(plan == nil ? "none" : "planned")"])
        guard let plan else { return }
        spawn { [weak self] in await self?.deliver(plan) }
    }

    // MARK: - images

    func imageResponse(_ job: ImageJob) -> SimResponse {
        var body = png(for: job)
        var contentType = "image/png"
        switch job.fault {
        case .truncated?, .cutConnection?: body = PNGFaults.truncated(body)
        case .corrupt?: body = PNGFaults.corrupted(body)
        case .wrongContentType?: contentType = "text/html; charset=utf-8"
        default: break
        }
        return SimResponse(status: 200, headers: ["Content-Type": contentType, "Cache-Control": "private, max-age=86400"],
                           body: body)
    }

    /// Rendered and encoded once, then served from a small cache.
    func png(for job: ImageJob) -> [UInt8] {
        let key = "\(job.taskID)/\(job.index)"
        var png = images.withLock { $0.bytes[key] }
        if png == nil {
            let pixels = ImageRenderer.pixels(prompt: job.prompt, index: job.index, width: job.width, height: job.height)
            let encoded = encode(pixels, job.width, job.height)
            png = encoded
            let limit = configuration.maxCachedImages
            images.withLock { c in
                guard limit > 0, c.bytes[key] == nil else { return }
                c.bytes[key] = encoded
                c.order.append(key)
                while c.order.count > limit { c.bytes[c.order.removeFirst()] = nil }
            }
        }
        return png ?? []
    }

    // MARK: - callbacks

    /// The seed's callback mechanism: attempts per `CallbackDeliveryMachine`, then the
    /// duplicate and stale extras a fault asked for.
    func deliver(_ plan: CallbackPlan) async {
        var machine = CallbackDeliveryMachine(retryDelays: configuration.callbackRetryDelays.map(configuration.scaled))
        var action = machine.start(initialDelay: plan.initialDelay)
        while case .send(let attempt, let delay) = action {
            guard await Self.sleep(delay) else { return }
            let ok = await post(plan, body: plan.body, kind: .terminal, number: attempt)
            action = machine.attemptFinished(success: ok)
        }
        if case .gaveUp(let n) = action {
            state.withLock { $0.recordCallbackGaveUp(epoch: plan.epoch) }
            logger.warning("callback given up", metadata: ["task": "\(plan.taskID)", "attempts": "\(n)"])
        }
        if plan.duplicate, case .delivered = action {
            _ = await post(plan, body: plan.body, kind: .duplicate, number: 1)
        }
        if let stale = plan.staleBody {
            _ = await post(plan, body: stale, kind: .stale, number: 1)
        }
    }

    /// One POST of the task JSON; true on any 2xx.
    private func post(_ plan: CallbackPlan, body: [UInt8], kind: CallbackKind, number: Int) async -> Bool {
        let request = HTTPClientRequest(method: "POST", url: plan.url,
                                        headers: ["Content-Type": "application/json"], body: body)
        var meta: Logger.Metadata = ["task": "\(plan.taskID)", "attempt": "\(number)", "kind": "\(kind.rawValue)",
                                     "host": "\(Self.redactedOrigin(plan.url))"]
        var ok = false
        var refused = false
        do {
            let response = try await callbackClient.execute(request)
            ok = (200..<300).contains(response.status)
            meta["status"] = "\(response.status)"
        } catch {
            if case .refusedByPolicy = error { refused = true }
            meta["error"] = "\(error)"
        }
        state.withLock { $0.recordCallbackAttempt(success: ok, refused: refused, kind: kind, epoch: plan.epoch) }
        logger.info(ok ? "callback delivered" : "callback attempt failed", metadata: meta)
        return ok
    }

    /// Scheme and host only: callback paths carry the receiver's secret token.
    static func redactedOrigin(_ url: String) -> String {
        guard let sep = url.range(of: "://") else { return "?" }
        let rest = url[sep.upperBound...]
        let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        return String(url[..<sep.upperBound]) + String(rest[..<end])
    }
}
