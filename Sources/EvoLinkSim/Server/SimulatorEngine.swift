import Dispatch
import EvoLink
import Foundation
import HTTP1
import HTTPClient
import Logging
import Support

/// The running simulator minus its listener: the state behind a lock, the timers that
/// settle tasks, the callback sender and the image cache.
final class SimulatorEngine: Sendable {
    let configuration: SimulatorConfiguration
    let logger: Logger
    private let state: Locked<SimulatorState>
    private let callbackClient: HTTPClient
    private let timers = Locked<(next: Int, running: [Int: Task<Void, Never>], stopped: Bool)>((0, [:], false))
    /// Callback deliveries: stop and reset advance the generation (a delivery begun in
    /// an older one goes no further) and cancel the POSTs in flight.
    private let deliveries = Locked<(generation: Int, next: Int, inFlight: [Int: @Sendable () -> Void], stopped: Bool)>(
        (0, 0, [:], false))
    private let images = Locked<(order: [String], bytes: [String: [UInt8]])>(([], [:]))
    /// Encodes RGB8 pixels as PNG.
    let encode: @Sendable (_ pixels: [UInt8], _ width: Int, _ height: Int) -> [UInt8]

    init(configuration: SimulatorConfiguration, logger: Logger,
         encode: @escaping @Sendable ([UInt8], Int, Int) -> [UInt8]) {
        self.configuration = configuration
        self.logger = logger
        self.encode = encode
        state = Locked(SimulatorState(configuration: configuration, baseURL: "http://127.0.0.1"))
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
        let inFlight = deliveries.withLock { d in
            if stop { d.stopped = true }
            d.generation += 1
            let calls = Array(d.inFlight.values)
            d.inFlight = [:]
            return calls
        }
        for cancel in inFlight { cancel() }
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
            // Rendering and encoding are CPU-bound for a good fraction of a second. On
            // Linux the global concurrent queues are Swift's cooperative pool (as wide as
            // the core count), so that work there would stall every task of an embedding
            // process; a serial queue of its own runs on a thread outside that pool.
            DispatchQueue(label: "evolink-sim.image").async { [self] in
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
        deliver(plan)
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

    /// The provider's callback mechanism (PROVIDER.md, Callbacks): attempts per `CallbackDeliveryMachine`, then the
    /// duplicate and stale extras a fault asked for. Runs as a chain of Dispatch timers
    /// and HTTP completion handlers rather than as a Swift task: the retry gaps are
    /// observable behaviour, and a task's every wake-up waits for the cooperative pool,
    /// which a busy embedding process (a parallel test run) can hold for seconds.
    func deliver(_ plan: CallbackPlan) {
        guard let generation = deliveries.withLock({ $0.stopped ? nil : $0.generation }),
              state.withLock({ $0.epoch == plan.epoch }) else { return }
        var machine = CallbackDeliveryMachine(retryDelays: configuration.callbackRetryDelays.map(configuration.scaled))
        let first = machine.start(initialDelay: plan.initialDelay)
        step(plan, machine, first, generation)
    }

    private func step(_ plan: CallbackPlan, _ machine: CallbackDeliveryMachine,
                      _ action: CallbackDeliveryMachine.Action, _ generation: Int) {
        switch action {
        case .send(let attempt, let delay):
            if attempt > 1 {
                logger.info("callback retry scheduled", metadata: [
                    "task": "\(plan.taskID)", "attempt": "\(attempt)", "delay_seconds": "\(delay)"])
            }
            after(delay, generation) { [self] in
                post(plan, body: plan.body, kind: .terminal, number: attempt, generation) { [self] ok in
                    var next = machine
                    let action = next.attemptFinished(success: ok)
                    step(plan, next, action, generation)
                }
            }
        case .gaveUp(let n):
            state.withLock { $0.recordCallbackGaveUp(epoch: plan.epoch) }
            logger.warning("callback given up", metadata: ["task": "\(plan.taskID)", "attempts": "\(n)"])
            extras(plan, delivered: false, generation)
        case .delivered:
            extras(plan, delivered: true, generation)
        }
    }

    /// The duplicate (only after a delivery), then the stale extra.
    private func extras(_ plan: CallbackPlan, delivered: Bool, _ generation: Int) {
        let stale: @Sendable () -> Void = { [self] in
            guard let body = plan.staleBody else { return }
            post(plan, body: body, kind: .stale, number: 1, generation) { _ in }
        }
        if plan.duplicate && delivered {
            post(plan, body: plan.body, kind: .duplicate, number: 1, generation) { _ in stale() }
        } else {
            stale()
        }
    }

    /// Whether deliveries started in `generation` may go on (no stop or reset since).
    private func isCurrent(_ generation: Int) -> Bool {
        deliveries.withLock { !$0.stopped && $0.generation == generation }
    }

    /// Runs `body` after `delay` seconds on a serial queue of its own (outside the
    /// cooperative pool, unlike the global queues on Linux), unless stop/reset came first.
    private func after(_ delay: Double, _ generation: Int, _ body: @escaping @Sendable () -> Void) {
        let run: @Sendable () -> Void = { [weak self] in
            guard let self, self.isCurrent(generation) else { return }
            body()
        }
        if delay > 0 {
            DispatchQueue(label: "evolink-sim.callback").asyncAfter(deadline: .now() + delay, execute: run)
        } else {
            run()
        }
    }

    /// One POST of the task JSON; `then` learns whether it got a 2xx. Nothing is sent,
    /// and `then` is not called, once a stop or reset has come.
    private func post(_ plan: CallbackPlan, body: [UInt8], kind: CallbackKind, number: Int, _ generation: Int,
                      then: @escaping @Sendable (Bool) -> Void) {
        let request = HTTPClientRequest(method: "POST", url: plan.url,
                                        headers: ["Content-Type": "application/json"], body: body)
        let id: Int? = deliveries.withLock { d in
            guard !d.stopped, d.generation == generation else { return nil }
            d.next += 1
            d.inFlight[d.next] = {}
            return d.next
        }
        guard let id else { return }
        let cancel = callbackClient.execute(request) { [self] result in
            deliveries.withLock { _ = $0.inFlight.removeValue(forKey: id) }
            var meta: Logger.Metadata = ["task": "\(plan.taskID)", "attempt": "\(number)", "kind": "\(kind.rawValue)",
                                         "host": "\(Self.redactedOrigin(plan.url))"]
            var ok = false
            var refused = false
            switch result {
            case .success(let response):
                ok = (200..<300).contains(response.status)
                meta["status"] = "\(response.status)"
            case .failure(let error):
                if case .refusedByPolicy = error { refused = true }
                meta["error"] = "\(error)"
            }
            state.withLock { $0.recordCallbackAttempt(success: ok, refused: refused, kind: kind, epoch: plan.epoch) }
            logger.info(ok ? "callback delivered" : "callback attempt failed", metadata: meta)
            guard isCurrent(generation) else { return }
            then(ok)
        }
        // Stop/reset cancels what is in flight; an attempt that finished first is gone.
        deliveries.withLock { d in
            if d.inFlight[id] != nil { d.inFlight[id] = cancel }
        }
    }

    /// Scheme and host only: callback paths carry the receiver's secret token.
    static func redactedOrigin(_ url: String) -> String {
        guard let sep = url.range(of: "://") else { return "?" }
        let rest = url[sep.upperBound...]
        let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        return String(url[..<sep.upperBound]) + String(rest[..<end])
    }
}
