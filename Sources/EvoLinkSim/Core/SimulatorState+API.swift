import EvoLink
import Foundation
import HTTP1

extension SimulatorState {
    /// Longest Idempotency-Key accepted (printable ASCII only).
    static let maxIdempotencyKeyLength = 255

    /// `POST /v1/images/generations` (PROVIDER.md): gates, validation, model access,
    /// idempotency, quota, then a new pending task.
    mutating func submit(_ request: SimRequest, now: Double) -> Outcome {
        let key: String
        switch gate(request, now: now) {
        case .failure(let refusal):
            stats.submitsRejected += 1
            return .respond(refusal.response, [])
        case .success(let k): key = k
        }
        let generation: GenerationRequest
        do {
            generation = try GenerationRequest.decodeValidated(request.body, limits: configuration.effectiveLimits)
        } catch {
            stats.submitsRejected += 1
            return .respond(SimResponse.json(400, error.envelope.encoded()), [])
        }
        guard policy(for: key).modelAllowed else {
            stats.submitsRejected += 1
            return .respond(SimResponse.error(403, code: "model_access_denied",
                                              message: "Token does not have access to model: \(generation.model)",
                                              type: "invalid_request_error"), [])
        }
        let idemKey = request.headers["Idempotency-Key"]
        if let idemKey {
            guard !idemKey.isEmpty, idemKey.utf8.count <= Self.maxIdempotencyKeyLength,
                  idemKey.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
                stats.submitsRejected += 1
                return .respond(SimResponse.error(400, code: "invalid_request",
                                                  message: "Idempotency-Key must be 1-255 printable ASCII characters",
                                                  type: "invalid_request_error", param: "Idempotency-Key"), [])
            }
            let slot = "\(key)\u{0}\(idemKey)"
            if let entry = idempotency[slot], entry.expires > now {
                // Same key and same request: the original answer again, not a new
                // charge. A different body under the same key is a client bug: 422, as
                // the IETF Idempotency-Key draft (§2.7) specifies for payload mismatch.
                guard entry.request == generation else {
                    stats.submitsRejected += 1
                    return .respond(SimResponse.error(
                        422, code: "idempotency_key_reused",
                        message: "Idempotency-Key was already used with a different request body",
                        type: "invalid_request_error", param: "Idempotency-Key"), [])
                }
                stats.idempotentReplays += 1
                var r = SimResponse.json(200, entry.response)
                r.headers.add(name: "idempotency-replayed", value: "true")
                return .respond(r, [])
            }
        }
        let n = generation.imageCount
        let credits = Double(n)
        if let quota = policy(for: key).quota, spent[key, default: 0] + credits > quota {
            stats.submitsRejected += 1
            return .respond(SimResponse.error(402, code: "insufficient_quota",
                                              message: "Insufficient quota. Please top up your account.",
                                              type: "insufficient_quota"), [])
        }
        spent[key, default: 0] += credits
        stats.creditsCharged += credits

        purgeExpired(now: now)
        let task = makeTask(generation, key: key, credits: credits, now: now)
        tasks[task.id] = task
        stats.tasksSubmitted += 1
        stats.tasksInFlight += 1
        let body = task.detail(at: now, baseURL: baseURL, includeUsage: true).encoded()
        if let idemKey {
            idempotency["\(key)\u{0}\(idemKey)"] = IdempotencyEntry(
                request: generation, taskID: task.id, response: body, expires: now + configuration.idempotencyTTL)
        }
        var response = SimResponse.json(200, body)
        response.headers.add(name: "x-request-id", value: "sim-\(task.id)")
        return .respond(response, [.settleAt(taskID: task.id, time: task.timeline.terminalAt)])
    }

    mutating func makeTask(_ generation: GenerationRequest, key: String, credits: Double, now: Double) -> SimTask {
        taskCounter += 1
        let suffix = Self.idSuffix(random.next())
        let id = "\(TaskDetail.idPrefix)\(Int(now))-\(suffix)"
        // A prompt directive wins, then the queue of per-task faults, then the rates.
        let directive = configuration.promptDirectives ? PromptDirectives.faults(in: generation.prompt) : nil
        let faults = directive ?? (nextTaskFaults.isEmpty ? rolledFaults() : nextTaskFaults.removeFirst())
        let n = generation.imageCount
        let outcome: TaskOutcome
        if faults.cancel {
            outcome = .cancelled
        } else if let code = faults.failWith {
            outcome = .failed(code: code)
        } else {
            let wanted = faults.resultCount.map { $0 < 0 ? n + $0 : $0 } ?? n
            outcome = .completed(results: min(n, max(0, wanted)))
        }
        let timeline = TaskTimeline(created: now, pendingSeconds: configuration.scaled(configuration.pendingSeconds),
                                    processingSeconds: configuration.scaled(configuration.processingSeconds),
                                    progressRange: configuration.progressRange)
        // The documented range is checked by validation; a request without `size` gets
        // the provider's common square default.
        let size = generation.size.flatMap { ImageSize(parsing: $0) } ?? ImageSize(width: 1024, height: 1024)
        return SimTask(id: id, apiKey: key, request: generation, size: size, timeline: timeline,
                       outcome: outcome, faults: faults, creditsReserved: credits,
                       estimatedTime: configuration.estimatedTime)
    }

    /// Forgets settled tasks whose links have expired and stale idempotency entries, so
    /// a long-running simulator does not grow without bound. Runs every
    /// `purgeInterval` submits.
    mutating func purgeExpired(now: Double) {
        guard taskCounter % Self.purgeInterval == 0, taskCounter > 0 else { return }
        let ttl = configuration.resultTTL
        tasks = tasks.filter { !($0.value.settled && now >= $0.value.timeline.created + ttl) }
        idempotency = idempotency.filter { $0.value.expires > now }
    }

    static let purgeInterval: UInt64 = 1000

    /// Faults for a task from the configured rates.
    mutating func rolledFaults() -> TaskFaults {
        var f = TaskFaults()
        f.dropCallback = random.chance(rates.dropCallback)
        f.duplicateCallback = random.chance(rates.duplicateCallback)
        f.staleCallback = random.chance(rates.staleCallback)
        if random.chance(rates.lateCallback) { f.callbackDelay = rates.lateCallbackDelay }
        if random.chance(rates.cancelTask) {
            f.cancel = true
        } else if random.chance(rates.failTask), !rates.failCodes.isEmpty {
            f.failWith = rates.failCodes[Int(random.next() % UInt64(rates.failCodes.count))]
        }
        if random.chance(rates.fewerResults) { f.resultCount = -1 }
        return f
    }

    /// Eight lowercase alphanumerics, like `4x3rx6ny`.
    static func idSuffix(_ bits: UInt64) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var v = bits
        var out: [UInt8] = []
        for _ in 0..<8 {
            out.append(alphabet[Int(v % 36)])
            v /= 36
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `GET /v1/tasks/{id}` (PROVIDER.md: 400 invalid_task_id, 404 task_not_found,
    /// 403 permission_denied for another key's task).
    mutating func taskQuery(_ request: SimRequest, id: String, now: Double) -> SimResponse {
        let key: String
        switch gate(request, now: now) {
        case .failure(let refusal): return refusal.response
        case .success(let k): key = k
        }
        guard id.hasPrefix(TaskDetail.idPrefix) else {
            return SimResponse.error(400, code: "invalid_task_id", message: "Task id must start with task-unified-",
                                     type: "invalid_request_error", param: "task_id")
        }
        guard let task = tasks[id] else {
            return SimResponse.error(404, code: "task_not_found", message: "Task not found",
                                     type: "invalid_request_error")
        }
        guard task.apiKey == key else {
            return SimResponse.error(403, code: "permission_denied", message: "No permission to access this task",
                                     type: "invalid_request_error")
        }
        var r = SimResponse.json(200, task.detail(at: now, baseURL: resultBase(for: task)).encoded())
        r.headers.add(name: "x-request-id", value: "sim-q-\(stats.requests)")
        return r
    }
}
