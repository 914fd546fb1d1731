import EvoLink
import Foundation
import HTTP1
import HTTPServer
import Store
import Support

/// `POST /v1/images/generations` on the internal listener: the provider's request body (PROVIDER.md, Submit), so an
/// existing EvoLink client works by changing only its base URL.
///
/// Order matters: validate (nothing spent on a bad request) -> Idempotency-Key check ->
/// record `submitting` durably -> call the provider with our callback URL and the same
/// Idempotency-Key -> record the answer. A crash or timeout between the provider call
/// and the record leaves `submitting`/`ambiguous`, which is only ever resolved by
/// retrying with the same key (a duplicate submit is pre-charged for `n`), and only
/// within `ambiguousGiveUpAge`; after that the submission is `abandoned`.
///
/// The caller is held at most `submitAnswerTimeout`: provider retries sleep, and a
/// caller that times out first would retry into 409s. Past it the caller gets 202 and
/// the provider call carries on in the background, holding the key's in-flight slot.
struct Submitter: Sendable {
    let context: ServiceContext
    let applier: ReportApplier

    func handle(_ request: HTTPServerRequest, caller: String) async -> HTTPServerResponse {
        let config = context.config
        // 1. Validate before anything is recorded or spent.
        let providerBody: [UInt8]
        let relayURL: String?
        switch Self.split(request.body) {
        case .failure(let error):
            return .json(400, error.envelope.encoded())
        case .success(let parts):
            providerBody = parts.providerBody
            relayURL = parts.relayURL
        }
        // 2. Idempotency-Key: the caller's, or a fresh one so our own retries reuse it.
        let key: String
        if let given = request.head.headers["Idempotency-Key"] {
            guard !given.isEmpty, given.utf8.count <= config.maxIdempotencyKeyLength,
                  given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                return Responses.error(400, "invalid_idempotency_key",
                                       "Idempotency-Key must be 1-\(config.maxIdempotencyKeyLength) visible ASCII characters")
            }
            key = given
        } else {
            key = "ih-" + UUID().uuidString.lowercased()
        }
        let fingerprint = RequestFingerprint.compute(caller: caller, body: request.body)
        let slot = caller + "\u{0}" + key
        let claimed = context.submitsInFlight.withLock { $0.insert(slot).inserted }
        // Once the provider call starts, the slot belongs to it (it may outlive this
        // request, see `answerWithinBudget`).
        var handedOff = false
        defer { if claimed && !handedOff { context.submitsInFlight.withLock { _ = $0.remove(slot) } } }

        let existing: SubmissionRecord?
        do {
            existing = try await context.database.read { try SubmissionRepository.find(caller: caller, key: key, in: $0) }
        } catch {
            return Responses.unavailable(retryAfter: config.retryAfterSeconds)
        }
        let decision = IdempotencyDecision.decide(
            existing: existing.map { ($0.fingerprint, SubmissionState(rawValue: $0.state) ?? .ambiguous) },
            fingerprint: fingerprint, activeHere: !claimed)
        switch decision {
        case .conflict:
            return Responses.error(422, "idempotency_key_reused",
                                   "this Idempotency-Key was used with a different request body")
        case .inFlight:
            return Responses.withRetryAfter(
                Responses.error(409, "idempotency_key_in_flight", "a request with this Idempotency-Key is in progress"),
                config.retryAfterSeconds)
        case .replay:
            guard let existing else { return Responses.notFound }
            return Self.storedAnswer(existing)
        case .resume:
            guard let existing else { return Responses.notFound }
            handedOff = true
            return await answerWithinBudget(existing, slot: slot)
        case .proceed:
            guard claimed else {
                return Responses.withRetryAfter(
                    Responses.error(409, "idempotency_key_in_flight", "a request with this Idempotency-Key is in progress"),
                    config.retryAfterSeconds)
            }
            let now = context.clock.now()
            if let refusal = await quotaRefusal(caller: caller, now: now) { return refusal }
            let nonce = context.tokens.newNonce()
            let token = context.tokens.token(nonce: nonce)
            var record = SubmissionRecord(caller: caller, idempotencyKey: key, fingerprint: fingerprint,
                                          tokenHash: CallbackTokens.hash(token: token), tokenNonce: nonce,
                                          relayURL: relayURL, request: providerBody,
                                          state: SubmissionState.submitting.rawValue, createdAt: now, updatedAt: now)
            do {
                let pending = record
                record.id = try await context.database.write { tx in try SubmissionRepository.insert(pending, in: tx) }
            } catch {
                return Responses.unavailable(retryAfter: config.retryAfterSeconds)
            }
            handedOff = true
            return await answerWithinBudget(record, slot: slot)
        }
    }

    /// Per-caller quotas, checked only for a new submission (a replayed or resumed
    /// Idempotency-Key is not new work): tasks in flight first (a refused submit must not
    /// use up the minute's budget), then the rolling submits-per-minute window.
    private func quotaRefusal(caller: String, now: Double) async -> HTTPServerResponse? {
        let limit = context.callerLimits.withLock { $0.limit(for: caller) }
        if limit.tasksInFlight > 0 {
            guard let inFlight = try? await context.database.read({ try TaskRepository.inFlight(caller: caller, in: $0) }) else {
                return Responses.unavailable(retryAfter: context.config.retryAfterSeconds)
            }
            if inFlight >= limit.tasksInFlight {
                return refuse(caller, "tasks_in_flight", retryAfter: Double(context.config.retryAfterSeconds),
                              "\(caller) has \(inFlight) tasks in flight (limit \(limit.tasksInFlight))")
            }
        }
        if let wait = context.submitWindow.withLock({ $0.admit(caller: caller, limit: limit.submitsPerMinute, now: now) }) {
            return refuse(caller, "submits_per_minute", retryAfter: wait,
                          "\(caller) reached \(limit.submitsPerMinute) submits per minute")
        }
        return nil
    }

    private func refuse(_ caller: String, _ limit: String, retryAfter: Double, _ message: String) -> HTTPServerResponse {
        context.quotaRefusals.withLock { $0[caller + "\u{0}" + limit, default: 0] += 1 }
        return Responses.withRetryAfter(Responses.error(429, "quota_exceeded", message), Int(retryAfter.rounded(.up)))
    }

    /// Runs `send` in a task of its own and answers with its result, or with 202 once
    /// `submitAnswerTimeout` has passed; the task still records the end and then frees
    /// the key's in-flight slot.
    func answerWithinBudget(_ submission: SubmissionRecord, slot: String) async -> HTTPServerResponse {
        let context = self.context
        let work = Task {
            let response = await send(submission)
            context.submitsInFlight.withLock { _ = $0.remove(slot) }
            return response
        }
        let budget = max(0.001, context.config.submitAnswerTimeout)
        // Whichever comes first answers; a task group would not do, as it waits for
        // every child and so for `work` itself.
        let resumed = Locked(false)
        let claimResume: @Sendable () -> Bool = { resumed.withLock { done in defer { done = true }; return !done } }
        var timer: Task<Void, Never>?
        let first: HTTPServerResponse? = await withCheckedContinuation { continuation in
            Task {
                let response = await work.value
                if claimResume() { continuation.resume(returning: response) }
            }
            timer = Task {
                try? await Task.sleep(nanoseconds: UInt64(budget * 1e9))
                if claimResume() { continuation.resume(returning: nil) }
            }
        }
        timer?.cancel()
        if let first { return first }
        context.logger.info("submit answered before the provider confirmed; continuing in the background",
                            metadata: ["key": "\(submission.idempotencyKey)"])
        return Self.accepted(submission, retryAfter: context.config.retryAfterSeconds)
    }

    /// 202: recorded and being sent, not confirmed yet. The same Idempotency-Key later
    /// returns the provider's task (or the final error).
    static func accepted(_ s: SubmissionRecord, retryAfter: Int) -> HTTPServerResponse {
        Responses.withRetryAfter(Responses.json(202, .object([
            ("object", .string("submission")), ("status", .string("submitting")),
            ("idempotency_key", .string(s.idempotencyKey)),
            ("message", .string("accepted; the provider has not confirmed yet. Repeat the request with the same "
                                + "Idempotency-Key to get the task")),
        ])), retryAfter)
    }

    /// Calls the provider for a recorded submission (new, resumed, or from the
    /// background resolver), with its stored key and callback URL, and records the end.
    func send(_ submission: SubmissionRecord) async -> HTTPServerResponse {
        let config = context.config
        guard var request = try? JSONDecoder().decode(GenerationRequest.self, from: Data(submission.request)) else {
            return Responses.error(500, "internal_error", "stored request is unreadable")
        }
        request.callbackURL = config.publicURL + "/v1/callbacks/" + context.tokens.token(nonce: submission.tokenNonce)
        var lastError: EvoLinkError?
        for attempt in 0..<max(1, config.submitMaxAttempts) {
            if context.clock.now() - submission.createdAt >= config.ambiguousGiveUpAge {
                return await abandon(submission)
            }
            do {
                let (detail, raw) = try await context.provider.submit(request, idempotencyKey: submission.idempotencyKey)
                return await record(submission, detail: detail, raw: raw)
            } catch {
                lastError = error
                if let answer = Self.definitiveAnswer(error) {
                    return await recordRejected(submission, answer: answer)
                }
                context.logger.warning("provider submit failed; will retry with the same Idempotency-Key",
                                       metadata: ["attempt": "\(attempt + 1)", "error": "\(error)"])
                if attempt + 1 < config.submitMaxAttempts {
                    let wait = error.retryAfter ?? Backoff(base: config.submitRetryBase, cap: 10)
                        .delay(attempt: attempt, random: context.random)
                    try? await Task.sleep(nanoseconds: UInt64(min(wait, 30) * 1e9))
                }
            }
        }
        await markAmbiguous(submission)
        return Responses.withRetryAfter(
            Responses.error(502, "provider_unavailable",
                            "the provider did not answer definitively (\(lastError.map { "\($0)" } ?? "unknown")); "
                            + "retry with the same Idempotency-Key"),
            config.retryAfterSeconds)
    }

    private func record(_ submission: SubmissionRecord, detail: TaskDetail, raw: [UInt8]) async -> HTTPServerResponse {
        let now = context.clock.now()
        let applier = self.applier
        do {
            let actions: [TaskAction] = try await context.database.write { tx in
                guard var current = try SubmissionRepository.find(id: submission.id, in: tx) else { return [] }
                current.state = SubmissionState.submitted.rawValue
                current.answerStatus = 200
                current.answer = raw
                current.taskID = detail.id
                current.attempts += 1
                current.updatedAt = now
                try SubmissionRepository.update(current, in: tx)
                let outcome = try applier.apply(detail: detail, raw: raw, source: .submit, submission: current,
                                                requestedSize: RequestedSize.of(current.request), now: now, in: tx)
                if case .applied(_, let actions) = outcome { return actions }
                return []
            }
            context.wake(for: actions)
            context.pollsWakeup.signal()
        } catch {
            // The provider has the task; we could not record it. The row stays
            // `submitting` and is resumed with the same key (the provider replays).
            return Responses.unavailable(retryAfter: context.config.retryAfterSeconds)
        }
        return .json(200, raw)
    }

    private func recordRejected(_ submission: SubmissionRecord, answer: (status: Int, body: [UInt8])) async -> HTTPServerResponse {
        let now = context.clock.now()
        do {
            try await context.database.write { tx in
                guard var current = try SubmissionRepository.find(id: submission.id, in: tx) else { return }
                current.state = SubmissionState.rejected.rawValue
                current.answerStatus = answer.status
                current.answer = answer.body
                current.attempts += 1
                current.updatedAt = now
                try SubmissionRepository.update(current, in: tx)
            }
        } catch {
            return Responses.unavailable(retryAfter: context.config.retryAfterSeconds)
        }
        return .json(answer.status, answer.body)
    }

    private func markAmbiguous(_ submission: SubmissionRecord) async {
        let now = context.clock.now()
        _ = try? await context.database.write { tx in
            guard var current = try SubmissionRepository.find(id: submission.id, in: tx),
                  current.state == SubmissionState.submitting.rawValue || current.state == SubmissionState.ambiguous.rawValue
            else { return }
            current.state = SubmissionState.ambiguous.rawValue
            current.attempts += 1
            current.updatedAt = now
            try SubmissionRepository.update(current, in: tx)
        }
    }

    /// Gives a submission up for good (see `SubmissionState.abandoned`) and answers
    /// with what a replay of its key will show from now on.
    func abandon(_ submission: SubmissionRecord) async -> HTTPServerResponse {
        let now = context.clock.now()
        let envelope = APIErrorEnvelope(
            code: "submit_unconfirmed",
            message: "the provider never confirmed this submit within \(Int(context.config.ambiguousGiveUpAge)) s; it is not retried again, "
                + "because a retry outside the provider's idempotency window could create a second billed task. "
                + "If the provider did create it, its callback still attaches it to this key.",
            type: "api_error").encoded()
        let changed: Bool
        do {
            changed = try await context.database.write { tx in
                guard var current = try SubmissionRepository.find(id: submission.id, in: tx),
                      current.state == SubmissionState.submitting.rawValue
                        || current.state == SubmissionState.ambiguous.rawValue else { return false }
                current.state = SubmissionState.abandoned.rawValue
                current.answerStatus = 502
                current.answer = envelope
                current.updatedAt = now
                try SubmissionRepository.update(current, in: tx)
                return true
            }
        } catch {
            return Responses.unavailable(retryAfter: context.config.retryAfterSeconds)
        }
        if changed {
            context.logger.warning("ambiguous submit given up", metadata: [
                "key": "\(submission.idempotencyKey)", "caller": "\(submission.caller)",
                "age_s": "\(Int(now - submission.createdAt))"])
        }
        return .json(502, envelope)
    }

    static func storedAnswer(_ s: SubmissionRecord) -> HTTPServerResponse {
        var r = HTTPServerResponse.json(s.answerStatus ?? 200, s.answer ?? [])
        r.headers.replaceOrAdd(name: "Idempotency-Replayed", value: "true")
        return r
    }

    /// Provider answers that are final for this request: no task was created, and the
    /// same request would be refused again. Statuses a caller could misread are mapped:
    /// our own provider credentials failing is a 502, not the caller's 401.
    static func definitiveAnswer(_ error: EvoLinkError) -> (status: Int, body: [UInt8])? {
        switch error {
        case .invalidRequest(let v):
            return (400, v.envelope.encoded())
        case .badRequest(let i), .insufficientQuota(let i), .forbidden(let i):
            return (i.status, i.raw.isEmpty ? APIErrorEnvelope(code: i.code ?? "provider_error", message: i.message ?? "\(i)", type: "api_error").encoded() : i.raw)
        case .unauthorized(let i), .idempotencyConflict(let i), .notFound(let i):
            return (502, APIErrorEnvelope(code: "provider_refused", message: "\(i)", type: "api_error").encoded())
        case .invalidTaskID, .rateLimited, .serverError, .unexpectedStatus, .malformedResponse, .network:
            return nil
        }
    }

    struct Parts: Sendable {
        var providerBody: [UInt8]
        var relayURL: String?
    }

    /// Separates the caller's relay `callback_url` (ours to call, typically an internal
    /// http URL the provider's rules would refuse) from the provider-bound request,
    /// then validates the latter as PROVIDER.md says.
    static func split(_ body: [UInt8]) -> Swift.Result<Parts, ValidationError> {
        var relayURL: String?
        var stripped = body
        if var object = JSONValue.parse(body), case .object(let pairs) = object {
            if let value = object["callback_url"] {
                guard case .string(let url) = value else {
                    return .failure(.wrongType(field: "callback_url", expected: "a string"))
                }
                guard RelayURL.isAcceptable(url) else {
                    return .failure(.invalidValue(field: "callback_url",
                                                  reason: "must be an http(s) URL of at most 2048 characters"))
                }
                relayURL = url
                object = .object(pairs.filter { $0.0 != "callback_url" })
                stripped = object.encoded()
            }
        }
        do {
            let request = try GenerationRequest.decodeValidated(stripped)
            return .success(Parts(providerBody: request.encoded(), relayURL: relayURL))
        } catch {
            return .failure(error)
        }
    }
}
