import EvoLink
import Foundation
import HTTP1
import Testing
@testable import EvoLinkSim

/// The simulator's provider behaviour through its pure core: no sockets, time passed in.
struct SimulatorCoreTests {
    static let t0 = 1_800_000_000.0

    func state(_ configure: (inout SimulatorConfiguration) -> Void = { _ in }) -> SimulatorState {
        var c = SimulatorConfiguration(keys: ["good": APIKeyPolicy(), "restricted": APIKeyPolicy(modelAllowed: false)],
                                       pendingSeconds: 2, processingSeconds: 8)
        configure(&c)
        return SimulatorState(configuration: c, baseURL: "http://sim.test")
    }

    func submitRequest(_ body: String = #"{"model":"wan2.5-text-to-image","prompt":"a red fox","size":"768x768","n":2}"#,
                       key: String? = "good", idempotencyKey: String? = nil) -> SimRequest {
        var h = HTTPHeaders()
        if let key { h.add(name: "Authorization", value: "Bearer \(key)") }
        if let idempotencyKey { h.add(name: "Idempotency-Key", value: idempotencyKey) }
        return SimRequest(method: "POST", target: "/v1/images/generations", headers: h, body: Array(body.utf8))
    }

    func respond(_ s: inout SimulatorState, _ r: SimRequest, at now: Double = t0) -> SimResponse {
        guard case .respond(let response, _) = s.handle(r, now: now) else {
            Issue.record("expected a response")
            return SimResponse(status: 0)
        }
        return response
    }

    func envelope(_ r: SimResponse) -> APIError? { APIErrorEnvelope.decode(r.body)?.error }

    func query(_ s: inout SimulatorState, _ id: String, key: String = "good", at now: Double) -> SimResponse {
        respond(&s, SimRequest(method: "GET", target: "/v1/tasks/\(id)", headers: ["Authorization": "Bearer \(key)"]), at: now)
    }

    func submit(_ s: inout SimulatorState, at now: Double = t0) throws -> TaskDetail {
        let r = respond(&s, submitRequest(), at: now)
        #expect(r.status == 200)
        return try TaskDetail.decode(r.body)
    }

    @Test func authenticationAndModelAccess() {
        var s = state()
        #expect(respond(&s, submitRequest(key: nil)).status == 401)
        #expect(envelope(respond(&s, submitRequest(key: nil)))?.type == "authentication_error")
        #expect(respond(&s, submitRequest(key: "unknown")).status == 401)
        var basic = submitRequest()
        basic.headers.replaceOrAdd(name: "Authorization", value: "Basic Z29vZA==")
        #expect(respond(&s, basic).status == 401)
        let denied = respond(&s, submitRequest(key: "restricted"))
        #expect(denied.status == 403)
        #expect(envelope(denied)?.code == "model_access_denied")
        #expect(respond(&s, submitRequest(key: "good")).status == 200)
        #expect(s.stats.submitsRejected == 5 && s.stats.tasksSubmitted == 1)
    }

    @Test func anyTokenIsAcceptedWhenNoKeysAreConfigured() {
        var s = state { $0.keys = [:] }
        #expect(respond(&s, submitRequest(key: "whatever")).status == 200)
        #expect(respond(&s, submitRequest(key: nil)).status == 401)
    }

    @Test func validationErrorsUseTheEnvelopeAndNameTheField() {
        var s = state()
        let r = respond(&s, submitRequest(#"{"model":"wan2.5-text-to-image","prompt":"p","size":"100x100"}"#))
        #expect(r.status == 400)
        #expect(envelope(r)?.param == "size" && envelope(r)?.code == "invalid_request")
        let cb = respond(&s, submitRequest(#"{"model":"wan2.5-text-to-image","prompt":"p","callback_url":"http://127.0.0.1/cb"}"#))
        #expect(cb.status == 400 && envelope(cb)?.param == "callback_url")
    }

    @Test func insecureCallbacksOnlyWithTheFlag() {
        var s = state { $0.allowInsecureCallbacks = true }
        let cb = respond(&s, submitRequest(#"{"model":"wan2.5-text-to-image","prompt":"p","callback_url":"http://127.0.0.1:9/cb"}"#))
        #expect(cb.status == 200)
    }

    @Test func quotaIsReservedPerImageAndRefundedForWhatWasNotProduced() throws {
        var s = state { $0.keys["good"] = APIKeyPolicy(quota: 4) }
        let a = try submit(&s)                       // reserves 2
        #expect(a.usage?.creditsReserved == 2)
        _ = try submit(&s)                           // reserves 2 more: 4 of 4
        let refused = respond(&s, submitRequest())
        #expect(refused.status == 402 && envelope(refused)?.code == "insufficient_quota")
        // The first task fails: its 2 credits come back, so a new submit fits.
        s.tasks[a.id]?.outcome = .failed(code: "service_error")
        _ = s.settle(taskID: a.id, now: Self.t0 + 10)
        #expect(respond(&s, submitRequest(), at: Self.t0 + 10).status == 200)
        #expect(s.stats.creditsCharged == 4)
    }

    @Test func rateLimitAnswers429WithRetryAfterUntilTheWindowEnds() {
        var s = state { $0.keys["good"] = APIKeyPolicy(rateLimit: 2, rateWindow: 10) }
        #expect(respond(&s, submitRequest(), at: Self.t0).status == 200)
        #expect(respond(&s, submitRequest(), at: Self.t0 + 1).status == 200)
        let limited = respond(&s, submitRequest(), at: Self.t0 + 3)
        #expect(limited.status == 429)
        #expect(limited.headers["Retry-After"] == "7")
        #expect(envelope(limited)?.code == "rate_limit_exceeded")
        #expect(respond(&s, submitRequest(), at: Self.t0 + 10).status == 200)
    }

    @Test func idempotencyReplaysTheSameTaskAndRefusesADifferentBody() throws {
        var s = state()
        let first = respond(&s, submitRequest(idempotencyKey: "job-1"))
        let again = respond(&s, submitRequest(idempotencyKey: "job-1"), at: Self.t0 + 1)
        #expect(first.status == 200 && again.status == 200)
        #expect(again.body == first.body)
        #expect(again.headers["idempotency-replayed"] == "true")
        #expect(first.headers["idempotency-replayed"] == nil)
        // Same meaning, different key order: still a replay.
        let reordered = respond(&s, submitRequest(#"{"n":2,"size":"768x768","prompt":"a red fox","model":"wan2.5-text-to-image"}"#,
                                                  idempotencyKey: "job-1"))
        #expect(reordered.headers["idempotency-replayed"] == "true")
        let mismatch = respond(&s, submitRequest(#"{"model":"wan2.5-text-to-image","prompt":"another"}"#, idempotencyKey: "job-1"))
        #expect(mismatch.status == 422 && envelope(mismatch)?.param == "Idempotency-Key")
        // Keys are per API key; another key's same Idempotency-Key is a new task.
        #expect(s.stats.tasksSubmitted == 1 && s.stats.idempotentReplays == 2 && s.stats.creditsCharged == 2)
        #expect(respond(&s, submitRequest(idempotencyKey: "job-2")).headers["idempotency-replayed"] == nil)
        #expect(respond(&s, submitRequest(idempotencyKey: "bad key")).status == 400)
    }

    @Test func lifecyclePendingProcessingCompleted() throws {
        var s = state()
        let created = try submit(&s)
        #expect(created.status == .pending && created.progress == 0)
        #expect(created.taskInfo?.estimatedTime == 10)
        #expect(created.object == "image.generation.task" && created.type == "image")
        #expect(TaskDetail.isValidID(created.id))
        let p1 = try TaskDetail.decode(query(&s, created.id, at: Self.t0 + 3).body)
        let p2 = try TaskDetail.decode(query(&s, created.id, at: Self.t0 + 8).body)
        #expect(p1.status == .processing && p2.status == .processing)
        #expect(p1.progress! < p2.progress! && p2.progress! < 100)
        #expect(p1.usage == nil)
        let done = try TaskDetail.decode(query(&s, created.id, at: Self.t0 + 10).body)
        #expect(done.status == .completed && done.progress == 100)
        #expect(done.results == ["http://sim.test/files/\(created.id)/0.png", "http://sim.test/files/\(created.id)/1.png"])
    }

    @Test func taskQueryErrors() throws {
        var s = state()
        let t = try submit(&s)
        #expect(query(&s, "abc", at: Self.t0).status == 400)
        #expect(envelope(query(&s, "abc", at: Self.t0))?.code == "invalid_task_id")
        #expect(query(&s, "task-unified-1-nothere", at: Self.t0).status == 404)
        #expect(envelope(query(&s, "task-unified-1-nothere", at: Self.t0))?.code == "task_not_found")
        var s2 = state { $0.keys["other"] = APIKeyPolicy() }
        let t2 = try submit(&s2)
        #expect(query(&s2, t2.id, key: "other", at: Self.t0).status == 403)
        #expect(respond(&s, SimRequest(method: "GET", target: "/v1/tasks/\(t.id)")).status == 401)
    }

    @Test func taskFaultsFromTheQueueShapeTheOutcome() throws {
        var s = state()
        try s.apply(FaultUpdate(nextTasks: [TaskFaults(failWith: "content_policy_violation"), TaskFaults(cancel: true),
                                            TaskFaults(resultCount: -1), TaskFaults(failWith: "request_cancelled")]))
        let ids = try (0..<5).map { _ in try submit(&s).id }
        let end = Self.t0 + 11
        let details = try ids.map { try TaskDetail.decode(query(&s, $0, at: end).body) }
        #expect(details[0].status == .failed && details[0].error?.code == "content_policy_violation")
        #expect(details[0].error?.type == "task_error" && details[0].progress == 0)
        #expect(details[1].status == .cancelled && details[1].isCancelled)
        #expect(details[2].status == .completed && details[2].results?.count == 1)
        #expect(details[3].isCancelled && details[3].status == .failed)
        #expect(details[4].status == .completed && details[4].results?.count == 2)
        for id in ids { _ = s.settle(taskID: id, now: end) }
        let st = s.stats
        #expect(st.tasksCompleted == 2 && st.tasksFailed == 2 && st.tasksCancelled == 1 && st.tasksInFlight == 0)
        #expect(st.tasksSubmitted == st.tasksCompleted + st.tasksFailed + st.tasksCancelled + st.tasksInFlight)
        // 10 reserved; failed and cancelled refunded (6), one image not produced (1).
        #expect(st.creditsCharged == 3)
    }

    @Test func faultRatesOfOneHitEveryTask() throws {
        var s = state()
        var r = FaultRates()
        r.failTask = 1
        r.failCodes = ["generation_timeout"]
        r.dropCallback = 1
        try s.apply(FaultUpdate(rates: r))
        let t = try submit(&s)
        #expect(s.tasks[t.id]?.outcome == .failed(code: "generation_timeout"))
        #expect(s.tasks[t.id]?.faults.dropCallback == true)
    }

    @Test func resultLinksWorkUntilTheTTLThenAnswerTheExpiredStatus() throws {
        var s = state { $0.resultTTL = 100; $0.expiredLinkStatus = 410 }
        let t = try submit(&s)
        func get(_ i: Int, at now: Double) -> SimulatorState.Outcome {
            s.handle(SimRequest(method: "GET", target: "/files/\(t.id)/\(i).png"), now: now)
        }
        if case .respond(let r, _) = get(0, at: Self.t0 + 5) { #expect(r.status == 404) } else { Issue.record("served early") }
        if case .image(let job) = get(1, at: Self.t0 + 10) {
            #expect(job.width == 768 && job.height == 768 && job.index == 1 && job.fault == nil)
        } else { Issue.record("not served") }
        if case .respond(let r, _) = get(2, at: Self.t0 + 10) { #expect(r.status == 404) } else { Issue.record("index 2") }
        if case .respond(let r, _) = get(0, at: Self.t0 + 100) { #expect(r.status == 410) } else { Issue.record("not expired") }
        #expect(s.stats.imagesServed == 1 && s.stats.imagesExpired == 1)
    }

    @Test func imageFaultsSetPerTaskThroughTheControlUpdate() throws {
        var s = state()
        let t = try submit(&s)
        func get() -> SimulatorState.Outcome {
            s.handle(SimRequest(method: "GET", target: "/files/\(t.id)/0.png"), now: Self.t0 + 10)
        }
        try s.apply(FaultUpdate(tasks: [t.id: TaskFaults(image: .serverError)]))
        if case .respond(let r, _) = get() { #expect(r.status == 503) } else { Issue.record("503") }
        try s.apply(FaultUpdate(tasks: [t.id: TaskFaults(image: .forbidden)]))
        if case .respond(let r, _) = get() { #expect(r.status == 403) } else { Issue.record("403") }
        for fault in [ImageFault.slow, .truncated, .wrongContentType, .corrupt] {
            try s.apply(FaultUpdate(tasks: [t.id: TaskFaults(image: fault)]))
            if case .image(let job) = get() {
                #expect(job.fault == fault)
                #expect((job.delay > 0) == (fault == .slow))
            } else { Issue.record("\(fault)") }
        }
        #expect(s.stats.imagesFaulted == 6)
        #expect(throws: SimControlError.self) { try s.apply(FaultUpdate(tasks: ["task-unified-x-y": TaskFaults()])) }
    }

    @Test func injectedAPIStatusesComeFirstThenNormalService() throws {
        var s = state()
        let set = respond(&s, SimRequest(method: "POST", target: "/_sim/faults",
                                         body: Array(#"{"next_api_statuses":[503,429]}"#.utf8)))
        #expect(set.status == 200)
        let a = respond(&s, submitRequest())
        #expect(a.status == 503 && a.headers["Retry-After"] != nil)
        let b = respond(&s, submitRequest())
        #expect(b.status == 429 && b.headers["Retry-After"] == "1")
        #expect(respond(&s, submitRequest()).status == 200)
        #expect(s.stats.apiFaultsInjected == 2)
        let bad = respond(&s, SimRequest(method: "POST", target: "/_sim/faults", body: Array(#"{"next_api_statuses":[200]}"#.utf8)))
        #expect(bad.status == 400)
    }

    @Test func controlStatsAndReset() throws {
        var s = state()
        _ = try submit(&s)
        let stats = respond(&s, SimRequest(method: "GET", target: "/_sim/stats"))
        let decoded = try JSONDecoder().decode(SimStats.self, from: Data(stats.body))
        #expect(decoded.tasksSubmitted == 1)
        #expect(String(decoding: stats.body, as: UTF8.self).contains("\"callbacks_attempted\":0"))
        #expect(respond(&s, SimRequest(method: "POST", target: "/_sim/reset")).status == 200)
        #expect(s.tasks.isEmpty && s.stats.tasksSubmitted == 0)
        #expect(respond(&s, SimRequest(method: "GET", target: "/_sim/nope")).status == 404)
        #expect(respond(&s, SimRequest(method: "GET", target: "/v1/images/generations")).status == 405)
    }

    @Test func settlementPlansTheCallbackWithItsFaults() throws {
        var s = state { $0.allowInsecureCallbacks = true; $0.timeScale = 0.5 }
        try s.apply(FaultUpdate(nextTasks: [TaskFaults(dropCallback: true),
                                            TaskFaults(duplicateCallback: true, staleCallback: true, callbackDelay: 4)]))
        let body = #"{"model":"wan2.5-text-to-image","prompt":"p","callback_url":"http://127.0.0.1:1/cb"}"#
        let a = try TaskDetail.decode(respond(&s, submitRequest(body)).body)
        let b = try TaskDetail.decode(respond(&s, submitRequest(body)).body)
        let dropped = s.settle(taskID: a.id, now: Self.t0 + 5)
        #expect(dropped == nil)
        #expect(s.stats.callbacksDropped == 1)
        let planned = s.settle(taskID: b.id, now: Self.t0 + 5)
        let plan = try #require(planned)
        #expect(plan.duplicate && plan.initialDelay == 2)
        #expect(try TaskDetail.decode(plan.body).status == .completed)
        #expect(try TaskDetail.decode(plan.staleBody ?? []).status == .processing)
        let again = s.settle(taskID: b.id, now: Self.t0 + 6)
        #expect(again == nil)
    }

    @Test func promptDirectivesSetPerTaskFaults() throws {
        #expect(PromptDirectives.faults(in: "a fox") == nil)
        let f = try #require(PromptDirectives.faults(in: "fox [sim:fail=generation_timeout, stale_callback] and [sim:image=corrupt,results=-1,callback_delay=2.5]"))
        #expect(f == TaskFaults(staleCallback: true, callbackDelay: 2.5, failWith: "generation_timeout",
                                resultCount: -1, image: .corrupt))
        var s = state()
        let t = try TaskDetail.decode(respond(&s, submitRequest(#"{"model":"wan2.5-text-to-image","prompt":"x [sim:cancel]"}"#)).body)
        #expect(s.tasks[t.id]?.outcome == .cancelled)
        var off = state { $0.promptDirectives = false }
        let u = try TaskDetail.decode(respond(&off, submitRequest(#"{"model":"wan2.5-text-to-image","prompt":"x [sim:cancel]"}"#)).body)
        #expect(off.tasks[u.id]?.outcome == .completed(results: 1))
    }

    @Test func configuredEstimatedTimeIsReported() throws {
        var s = state { $0.estimatedTime = 30 }
        let t = try submit(&s)
        #expect(t.taskInfo?.estimatedTime == 30)
        #expect(try TaskDetail.decode(query(&s, t.id, at: Self.t0 + 5).body).taskInfo?.estimatedTime == 30)
    }
}
