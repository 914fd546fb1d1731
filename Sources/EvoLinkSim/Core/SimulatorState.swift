import EvoLink
import Foundation
import HTTP1
import Support

/// Everything the simulator knows, mutated only under its host's lock. Pure with
/// respect to I/O and clocks: every entry point takes `now` and returns what to send
/// and what to do later, so the provider's behaviour is testable without sockets.
struct SimulatorState: Sendable {
    /// What a request resolves to.
    enum Outcome: Sendable {
        case respond(SimResponse, [SimEffect])
        case image(ImageJob)
    }

    var configuration: SimulatorConfiguration
    /// Base of result URLs (`http://127.0.0.1:PORT` once bound).
    var baseURL: String
    /// Base of result URLs for tasks with the `cut_connection` image fault.
    var cutBaseURL: String?
    var tasks: [String: SimTask] = [:]
    var stats = SimStats()
    var rates: FaultRates
    var nextTaskFaults: [TaskFaults] = []
    var nextAPIStatuses: [Int] = []
    var idempotency: [String: IdempotencyEntry] = [:]
    var spent: [String: Double] = [:]
    var windows: [String: RateWindow] = [:]
    var random: SplitMix64
    var taskCounter: UInt64 = 0
    /// Bumped by every reset, so work started before it (a callback in flight) cannot
    /// touch the books after it.
    var epoch = 0

    init(configuration: SimulatorConfiguration, baseURL: String) {
        self.configuration = configuration
        self.baseURL = configuration.publicBaseURL ?? baseURL
        self.rates = configuration.faults
        self.random = SplitMix64(seed: configuration.randomSeed)
    }

    /// Back to the configured start: no tasks, zero counters, configured faults.
    mutating func reset() {
        let cut = cutBaseURL, next = epoch + 1
        self = SimulatorState(configuration: configuration, baseURL: baseURL)
        cutBaseURL = cut
        epoch = next
    }

    /// Where a task's result links point.
    func resultBase(for task: SimTask) -> String {
        if task.faults.image == .cutConnection, let cutBaseURL { return cutBaseURL }
        return baseURL
    }

    /// The full PNG job for a result link path `/files/<task>/<i>.png`, ignoring faults
    /// and counters (used by the cut-connection listener).
    func imageJob(path: String, now: Double) -> ImageJob? {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count == 3, parts[0] == "files", parts[2].hasSuffix(".png"),
              let index = Int(parts[2].dropLast(4)), let task = tasks[parts[1]],
              task.timeline.state(at: now, outcome: task.outcome).0 == .completed,
              index >= 0, index < task.resultCount,
              now < task.timeline.created + configuration.resultTTL else { return nil }
        return ImageJob(taskID: task.id, prompt: task.request.prompt, index: index,
                        width: task.size.width, height: task.size.height, fault: nil, delay: 0)
    }

    mutating func handle(_ request: SimRequest, now: Double) -> Outcome {
        stats.requests += 1
        let path = request.path
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        switch (request.method, segments.first ?? "") {
        case ("POST", "v1") where path == "/v1/images/generations":
            return submit(request, now: now)
        case ("GET", "v1") where segments.count == 3 && segments[1] == "tasks":
            return .respond(taskQuery(request, id: segments[2], now: now), [])
        case ("GET", "files"), ("HEAD", "files"):
            return file(segments: Array(segments.dropFirst()), now: now)
        case (_, "_sim"):
            let action = segments.dropFirst().joined(separator: "/")
            let response = control(request, action: action)
            let resetDone = request.method == "POST" && action == "reset" && response.status == 200
            return .respond(response, resetDone ? [.resetEngine] : [])
        case (_, "v1"):
            if path == "/v1/images/generations" || path.hasPrefix("/v1/tasks/") {
                return .respond(SimResponse.error(405, code: "method_not_allowed",
                                                  message: "Method not allowed", type: "invalid_request_error"), [])
            }
            fallthrough
        default:
            return .respond(SimResponse.error(404, code: "not_found", message: "No such endpoint",
                                              type: "invalid_request_error"), [])
        }
    }

    // MARK: - shared API gates

    /// Injected API faults: the queue first, then the rates.
    mutating func injectedAPIFault() -> SimResponse? {
        var status: Int?
        if !nextAPIStatuses.isEmpty {
            status = nextAPIStatuses.removeFirst()
        } else if random.chance(rates.apiRateLimit) {
            status = 429
        } else if random.chance(rates.apiServerError) {
            status = 500
        }
        guard let status else { return nil }
        stats.apiFaultsInjected += 1
        if status == 429 { return rateLimited(retryAfter: rates.retryAfter) }
        if status == 503 {
            var r = SimResponse.error(503, code: "service_unavailable", message: "Service temporarily unavailable",
                                      type: "api_error")
            r.headers.add(name: "Retry-After", value: "\(rates.retryAfter)")
            return r
        }
        return SimResponse.error(status, code: "internal_error", message: "Internal server error", type: "api_error")
    }

    func rateLimited(retryAfter: Int) -> SimResponse {
        var r = SimResponse.error(429, code: "rate_limit_exceeded",
                                  message: "Too many requests, please try again later", type: "rate_limit_error")
        r.headers.add(name: "Retry-After", value: "\(retryAfter)")
        return r
    }

    /// Bearer auth (PROVIDER.md: bearer authentication): the key, or the 401 answer.
    func authenticate(_ request: SimRequest) -> Result<String, SimSubmitRefusal> {
        let unauthorized = SimSubmitRefusal(response: SimResponse.error(
            401, code: "unauthorized", message: "Invalid or expired token", type: "authentication_error"))
        guard let value = request.headers["Authorization"] else { return .failure(unauthorized) }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return .failure(unauthorized) }
        let key = parts[1].trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { return .failure(unauthorized) }
        if configuration.keys.isEmpty || configuration.keys[key] != nil { return .success(key) }
        return .failure(unauthorized)
    }

    func policy(for key: String) -> APIKeyPolicy { configuration.keys[key] ?? configuration.defaultKeyPolicy }

    /// The per-key rate limit, or nil when admitted.
    mutating func throttle(key: String, now: Double) -> SimResponse? {
        let p = policy(for: key)
        guard let limit = p.rateLimit else { return nil }
        var w = windows[key] ?? RateWindow(start: now, count: 0)
        let wait = w.admit(now: now, limit: limit, window: p.rateWindow)
        windows[key] = w
        return wait.map { rateLimited(retryAfter: $0) }
    }

    /// API fault, auth and rate limit, in that order; the key when all pass.
    mutating func gate(_ request: SimRequest, now: Double) -> Result<String, SimSubmitRefusal> {
        if let fault = injectedAPIFault() { return .failure(SimSubmitRefusal(response: fault)) }
        let key: String
        switch authenticate(request) {
        case .failure(let f): return .failure(f)
        case .success(let k): key = k
        }
        if let limited = throttle(key: key, now: now) { return .failure(SimSubmitRefusal(response: limited)) }
        return .success(key)
    }
}
