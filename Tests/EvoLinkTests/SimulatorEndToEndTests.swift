import EvoLink
import EvoLinkSim
import Foundation
import HTTP1
import HTTPClient
import ImageStore
import Testing

/// The simulator over real sockets on 127.0.0.1, driven through EvoLinkClient.
struct SimulatorEndToEndTests {
    func request(n: Int = 1, size: String = "768x768", prompt: String = "a red fox in snow",
                 callback: String? = nil) -> GenerationRequest {
        GenerationRequest(prompt: prompt, size: size, n: n, callbackURL: callback)
    }

    @Test func submitPollDownloadAndVerifyPNGs() async throws {
        let h = try SimHarness()
        let (created, raw) = try await h.client.submit(request(n: 2, size: "1024x768"), idempotencyKey: "job-1")
        #expect(created.status == .pending && created.usage?.creditsReserved == 2)
        #expect(try TaskDetail.decode(raw) == created)
        let done = try await h.waitTerminal(created.id)
        #expect(done.status == .completed && done.progress == 100)
        let urls = try #require(done.results)
        #expect(urls.count == 2)
        var bodies: [[UInt8]] = []
        for url in urls {
            #expect(url.hasPrefix(h.sim.baseURL + "/files/"))
            let r = try await h.get(url)
            #expect(r.status == 200)
            let info = try ImageVerifier.verify(bytes: r.body, contentType: r.headers["Content-Type"],
                                                expectedWidth: 1024, expectedHeight: 768)
            #expect(info.format == .png && info.width == 1024 && info.height == 768)
            bodies.append(r.body)
        }
        #expect(bodies[0] != bodies[1])
        let stats = h.sim.stats
        #expect(stats.tasksSubmitted == 1 && stats.tasksCompleted == 1 && stats.imagesServed == 2)
        await h.stop()
    }

    @Test func callbackRetriedOneThenTwoSecondsApartUntilA2xx() async throws {
        // Real scale (1 s, then 2 s). What the simulator scheduled is read from its log,
        // exactly; the arrivals show it never retried early (sleeps never end early and
        // each retry follows the failed answer, which follows the receiver's stamp).
        // How late a retry may run is up to the machine: a saturated full run measured a
        // 1 s gap as 8.3 s, so no upper bound or gap ordering is asserted on wall time.
        let receiver = try ReceiverServer(statuses: [500, 503])
        let capture = LogCapture()
        let h = try SimHarness(timeScale: 1, pending: 0.1, processing: 0.1, logger: capture.logger)
        let (task, _) = try await h.client.submit(request(callback: receiver.url), idempotencyKey: nil)
        #expect(await eventually { h.sim.stats.callbacksDelivered == 1 })
        try await Task.sleep(nanoseconds: 300_000_000)
        let a = receiver.arrivals
        #expect(a.count == 3)
        #expect(a.map(\.status) == [500, 503, 200])
        #expect(a.allSatisfy { $0.path == "/v1/callbacks/secret-token" })
        let scheduled = capture.all.filter { $0.contains("callback retry scheduled") }
        #expect(scheduled.count == 2)
        #expect(scheduled.first?.contains("attempt=2 delay_seconds=1.0 ") == true, "\(scheduled)")
        #expect(scheduled.last?.contains("attempt=3 delay_seconds=2.0 ") == true, "\(scheduled)")
        if a.count == 3 {
            let gap1 = a[1].time - a[0].time, gap2 = a[2].time - a[1].time
            #expect(gap1 >= 0.95, "first retry gap \(gap1)")
            #expect(gap2 >= 1.95, "second retry gap \(gap2)")
        }
        let body = try TaskDetail.decode(a[2].body)
        #expect(body.id == task.id && body.status == .completed && body.results?.count == 1)
        let s = h.sim.stats
        #expect(s.callbacksAttempted == 3 && s.callbacksDelivered == 1 && s.callbacksFailed == 2)
        #expect(s.callbacksAttempted == s.callbacksDelivered + s.callbacksFailed)
        await h.stop()
        await receiver.stop()
    }

    @Test func secretsNeverReachTheLogs() async throws {
        let receiver = try ReceiverServer(statuses: [500])
        let capture = LogCapture()
        var c = SimulatorConfiguration(timeScale: 0.05, allowInsecureCallbacks: true)
        c.keys = ["sk-live-topsecret": APIKeyPolicy()]
        let sim = Simulator(configuration: c, logger: capture.logger)
        try sim.start()
        var cc = EvoLinkClientConfiguration(baseURL: sim.baseURL, apiKey: "sk-live-topsecret")
        cc.validationLimits.allowInsecureCallbacks = true
        let client = EvoLinkClient(configuration: cc, logger: capture.logger)
        let (task, _) = try await client.submit(GenerationRequest(prompt: "p", callbackURL: receiver.url), idempotencyKey: "k")
        _ = try await client.task(id: task.id)
        #expect(await eventually { sim.stats.callbacksDelivered == 1 })
        let lines = capture.all
        #expect(lines.contains { $0.contains("provider_request_id=") }, "the provider's request id is logged")
        #expect(lines.contains { $0.contains("callback attempt failed") })
        #expect(!lines.contains { $0.contains("topsecret") }, "API key logged")
        #expect(!lines.contains { $0.contains("secret-token") }, "callback token logged")
        await sim.stop()
        await receiver.stop()
    }

    @Test func callbackGivesUpAfterThreeRetries() async throws {
        let receiver = try ReceiverServer(statuses: Array(repeating: 500, count: 10))
        let h = try SimHarness(timeScale: 0.05)
        _ = try await h.client.submit(request(callback: receiver.url), idempotencyKey: nil)
        #expect(await eventually { h.sim.stats.callbacksGivenUp == 1 })
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(receiver.arrivals.count == 4)
        #expect(h.sim.stats.callbacksFailed == 4 && h.sim.stats.callbacksDelivered == 0)
        await h.stop()
        await receiver.stop()
    }

    @Test func unansweredCallbackTimesOutAndIsRetried() async throws {
        let receiver = try ReceiverServer(statuses: [0])
        // Long enough that the answered second attempt never times out on a loaded CPU.
        let h = try SimHarness(timeScale: 0.1, configure: { $0.callbackTimeout = 4 })
        let start = wallClock()
        _ = try await h.client.submit(request(callback: receiver.url), idempotencyKey: nil)
        #expect(await eventually { h.sim.stats.callbacksDelivered == 1 })
        let a = receiver.arrivals
        #expect(a.count == 2)
        // The second attempt waits for the whole 4 s timeout of the first plus the 1 s
        // gap (scaled). Measured from before the submit, which the first attempt's clock
        // cannot precede; the receiver stamps that attempt later than its clock started
        // (by however long the request took to reach it), so a gap between the two
        // arrivals has no exact lower bound.
        if a.count == 2 {
            #expect(a[1].time - start >= 4.1, "retry \(a[1].time - start) s after the submit")
            #expect(a[1].time > a[0].time)
        }
        #expect(h.sim.stats.callbacksFailed == 1)
        await h.stop()
        await receiver.stop()
    }

    @Test func embeddingAPISnapshotsAndSettlesTasks() async throws {
        let h = try SimHarness(timeScale: 1, pending: 60, processing: 60)
        let (task, _) = try await h.client.submit(request(), idempotencyKey: nil)
        #expect(h.sim.task(id: task.id)?.status == .pending)
        #expect(h.sim.task(id: "task-unified-0-none") == nil)
        h.sim.finishNow(taskID: task.id)
        #expect(h.sim.stats.tasksCompleted == 1 && h.sim.stats.tasksInFlight == 0)
        let done = try await h.client.task(id: task.id).0
        #expect(done.status == .completed && done.results?.count == 1)
        h.sim.finishNow(taskID: task.id)
        #expect(h.sim.stats.tasksCompleted == 1)
        await h.stop()
    }

    @Test func droppedCallbackNeverArrives() async throws {
        let receiver = try ReceiverServer()
        let h = try SimHarness()
        try h.sim.applyFaults(FaultUpdate(nextTasks: [TaskFaults(dropCallback: true)]))
        let (task, _) = try await h.client.submit(request(callback: receiver.url), idempotencyKey: nil)
        _ = try await h.waitTerminal(task.id)
        #expect(await eventually { h.sim.stats.callbacksDropped == 1 })
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(receiver.arrivals.isEmpty)
        #expect(h.sim.stats.callbacksAttempted == 0)
        await h.stop()
        await receiver.stop()
    }

    @Test func duplicatedCallbackArrivesTwiceIdentically() async throws {
        let receiver = try ReceiverServer()
        let h = try SimHarness()
        try h.sim.applyFaults(FaultUpdate(nextTasks: [TaskFaults(duplicateCallback: true)]))
        _ = try await h.client.submit(request(callback: receiver.url), idempotencyKey: nil)
        #expect(await eventually { receiver.arrivals.count >= 2 })
        #expect(await eventually { h.sim.stats.callbacksDuplicated == 1 })
        try await Task.sleep(nanoseconds: 200_000_000)
        let a = receiver.arrivals
        #expect(a.count == 2 && a[0].body == a[1].body)
        #expect(h.sim.stats.callbacksDelivered == 2)
        await h.stop()
        await receiver.stop()
    }

    @Test func staleProcessingCallbackArrivesAfterTheTerminalOne() async throws {
        let receiver = try ReceiverServer()
        let h = try SimHarness()
        try h.sim.applyFaults(FaultUpdate(nextTasks: [TaskFaults(staleCallback: true)]))
        let (task, _) = try await h.client.submit(request(callback: receiver.url), idempotencyKey: nil)
        #expect(await eventually { receiver.arrivals.count >= 2 })
        let a = receiver.arrivals
        let first = try TaskDetail.decode(a[0].body), second = try TaskDetail.decode(a[1].body)
        #expect(first.status == .completed && second.status == .processing)
        #expect(first.id == task.id && second.id == task.id)
        #expect(await eventually { h.sim.stats.callbacksStale == 1 })
        await h.stop()
        await receiver.stop()
    }

    @Test func lateCallbackIsHeldBack() async throws {
        let receiver = try ReceiverServer()
        // Lifecycle 0.15 s; the late callback waits 10 s * 0.1 = 1 s more.
        let h = try SimHarness()
        try h.sim.applyFaults(FaultUpdate(nextTasks: [TaskFaults(callbackDelay: 10)]))
        let start = wallClock()
        let (task, _) = try await h.client.submit(request(callback: receiver.url), idempotencyKey: nil)
        _ = try await h.waitTerminal(task.id)
        // Nothing may arrive within the delay. Checked only while that is still provable
        // from here: a held-up test may get here later, and the bound below covers it.
        if wallClock() - start < 1.0 { #expect(receiver.arrivals.isEmpty, "callback arrived before its delay") }
        #expect(await eventually { receiver.arrivals.count == 1 })
        let arrival = try #require(receiver.arrivals.first)
        // Submitted after `start`, terminal 0.15 s after that, then held back 1 s: sleeps
        // never end early, so this bound is exact whatever the load.
        #expect(arrival.time - start >= 1.15, "late callback after \(arrival.time - start) s")
        let body = try TaskDetail.decode(arrival.body)
        #expect(body.id == task.id && body.status == .completed)
        await h.stop()
        await receiver.stop()
    }

    @Test func failedCancelledAndFewerResultsThroughTheControlEndpoint() async throws {
        let h = try SimHarness()
        let set = try await h.control("POST", "/_sim/faults", #"""
            {"next_tasks":[{"fail_with":"content_policy_violation"},{"cancel":true},{"result_count":2}]}
            """#)
        #expect(set.status == 200)
        let a = try await h.client.submit(request(), idempotencyKey: nil).0
        let b = try await h.client.submit(request(), idempotencyKey: nil).0
        let c = try await h.client.submit(request(n: 4), idempotencyKey: nil).0
        let fa = try await h.waitTerminal(a.id), fb = try await h.waitTerminal(b.id), fc = try await h.waitTerminal(c.id)
        #expect(fa.status == .failed && fa.error?.code == "content_policy_violation" && fa.results == nil)
        #expect(fb.status == .cancelled && fb.isCancelled)
        #expect(fc.status == .completed && fc.results?.count == 2)
        let stats = try JSONDecoder().decode(SimStats.self, from: Data(try await h.control("GET", "/_sim/stats").body))
        #expect(stats.tasksFailed == 1 && stats.tasksCancelled == 1 && stats.tasksCompleted == 1)
        #expect(stats.creditsCharged == 2)
        #expect(try await h.control("POST", "/_sim/reset").status == 200)
        #expect(h.sim.stats.tasksSubmitted == 0)
        await h.stop()
    }

    @Test func resetThroughTheControlEndpointStopsPendingCallbacks() async throws {
        // The retry is due 2 s after the failed first attempt. The reset must come before
        // that for the run to prove anything; a test held up past it (a loaded machine)
        // tries again with a fresh simulator, a bounded number of times.
        let retryGap = 2.0
        var proven = false
        for _ in 0..<3 where !proven {
            let receiver = try ReceiverServer(statuses: Array(repeating: 500, count: 10))
            let h = try SimHarness(timeScale: retryGap, pending: 0.05, processing: 0.05)
            _ = try await h.client.submit(request(callback: receiver.url), idempotencyKey: nil)
            // At least one: a held-up test may first look after the retry has failed too.
            #expect(await eventually { h.sim.stats.callbacksFailed >= 1 })
            #expect(try await h.control("POST", "/_sim/reset").status == 200)
            let resetDone = wallClock()
            let first = try #require(receiver.arrivals.first).time
            if resetDone < first + retryGap {
                proven = true
                // Wait well past the time the retry was due.
                try await Task.sleep(nanoseconds: UInt64(max(0, first + retryGap + 0.8 - wallClock()) * 1e9))
                #expect(receiver.arrivals.count == 1)
                #expect(h.sim.stats == SimStats())
            }
            await h.stop()
            await receiver.stop()
        }
        #expect(proven, "the reset never came before the retry was due")
    }

    @Test func imageLinkFaults() async throws {
        let h = try SimHarness(configure: { $0.faults.slowImageDelay = 5 })  // 0.5 s scaled
        let task = try await h.client.submit(request(), idempotencyKey: nil).0
        let url = try #require(try await h.waitTerminal(task.id).results?.first)
        func with(_ fault: ImageFault) async throws -> HTTPClientResponse {
            try h.sim.applyFaults(FaultUpdate(tasks: [task.id: TaskFaults(image: fault)]))
            return try await h.get(url)
        }
        func verify(_ r: HTTPClientResponse) -> ImageVerificationError? {
            do {
                _ = try ImageVerifier.verify(bytes: r.body, contentType: r.headers["Content-Type"],
                                             expectedWidth: 768, expectedHeight: 768)
                return nil
            } catch { return error }
        }
        #expect(try await with(.serverError).status == 503)
        #expect(try await with(.forbidden).status == 403)
        let t0 = wallClock()
        let slow = try await with(.slow)
        #expect(wallClock() - t0 >= 0.45)
        #expect(slow.status == 200 && verify(slow) == nil)
        let truncated = try await with(.truncated)
        if case .truncated? = verify(truncated) {} else { Issue.record("truncated: \(String(describing: verify(truncated)))") }
        let wrongType = try await with(.wrongContentType)
        #expect(wrongType.headers["Content-Type"]?.hasPrefix("text/html") == true)
        if case .contentTypeMismatch? = verify(wrongType) {} else { Issue.record("wrong type accepted") }
        let corrupt = try await with(.corrupt)
        if case .corrupt? = verify(corrupt) {} else { Issue.record("corrupt: \(String(describing: verify(corrupt)))") }
        try h.sim.applyFaults(FaultUpdate(tasks: [task.id: TaskFaults()]))
        #expect(verify(try await h.get(url)) == nil)
        #expect(h.sim.stats.imagesFaulted == 6)
        await h.stop()
    }

    @Test func cutConnectionAnnouncesTheFullLengthAndClosesHalfway() async throws {
        let h = try SimHarness()
        let task = try await h.client.submit(request(prompt: "cut [sim:image=cut_connection]"), idempotencyKey: nil).0
        let url = try #require(try await h.waitTerminal(task.id).results?.first)
        #expect(!url.hasPrefix(h.sim.baseURL + "/"), "cut links are served by their own listener")
        await #expect(throws: HTTPClientError.truncated) { _ = try await h.get(url) }
        // The same link through the regular listener redirects there.
        let viaMain = h.sim.baseURL + "/files/\(task.id)/0.png"
        await #expect(throws: HTTPClientError.truncated) { _ = try await h.get(viaMain) }
        await h.stop()
    }

    @Test func expiredLinksAnswerTheConfiguredStatus() async throws {
        // Links live `ttl` seconds (real time) from the task's creation, which is after
        // `submitted`. A download that completed before `submitted + ttl` was answered
        // within the TTL and must be a 200; one that took longer (a test held up on a
        // loaded machine) proves nothing, and the test tries a new task, a bounded number
        // of times. The task is finished through the embedding API, not by polling, to
        // keep the window between submit and download short.
        let ttl = 5.0
        let h = try SimHarness(configure: { $0.resultTTL = ttl; $0.expiredLinkStatus = 410 })
        var url: String?
        for _ in 0..<5 where url == nil {
            let submitted = wallClock()
            let task = try await h.client.submit(request(), idempotencyKey: nil).0
            h.sim.finishNow(taskID: task.id)
            let link = try #require(h.sim.task(id: task.id)?.results?.first)
            let status = try await h.get(link).status
            if wallClock() < submitted + ttl {
                #expect(status == 200, "a link within its TTL answered \(status)")
                url = link
            }
        }
        let live = try #require(url, "no download completed within the TTL")
        #expect(await eventually { (try? await h.get(live).status) == 410 })
        #expect(h.sim.stats.imagesExpired >= 1)
        await h.stop()
    }

    @Test func injectedAPIFaultsReachTheClientAsTypedErrors() async throws {
        let h = try SimHarness()
        try h.sim.applyFaults(FaultUpdate(nextAPIStatuses: [500, 429, 503]))
        await #expect { try await h.client.submit(request(), idempotencyKey: "k") } throws: { e in
            guard case .serverError(let info, _) = e as? EvoLinkError else { return false }
            return info.code == "internal_error" && info.requestID != nil
        }
        await #expect { try await h.client.submit(request(), idempotencyKey: "k") } throws: { e in
            (e as? EvoLinkError)?.retryAfter == 1
        }
        await #expect { try await h.client.task(id: "task-unified-1-a") } throws: { e in
            (e as? EvoLinkError)?.isRetryable == true
        }
        // The same key then succeeds once: the faults were answered before any task.
        _ = try await h.client.submit(request(), idempotencyKey: "k")
        #expect(h.sim.stats.tasksSubmitted == 1 && h.sim.stats.apiFaultsInjected == 3)
        await h.stop()
    }

    @Test func authQuotaAccessAndRateLimits() async throws {
        let h = try SimHarness(configure: {
            $0.keys = ["good": APIKeyPolicy(quota: 1), "restricted": APIKeyPolicy(modelAllowed: false),
                       "slow": APIKeyPolicy(rateLimit: 1, rateWindow: 30)]
        }, apiKey: "good")
        _ = try await h.client.submit(request(), idempotencyKey: nil)
        await #expect { try await h.client.submit(request(), idempotencyKey: nil) } throws: { e in
            guard case .insufficientQuota(let i) = e as? EvoLinkError else { return false }
            return i.code == "insufficient_quota"
        }
        await #expect { try await h.client(apiKey: "nope").submit(request(), idempotencyKey: nil) } throws: { e in
            guard case .unauthorized(let i) = e as? EvoLinkError else { return false }
            return i.code == "unauthorized"
        }
        await #expect { try await h.client(apiKey: "restricted").submit(request(), idempotencyKey: nil) } throws: { e in
            guard case .forbidden(let i) = e as? EvoLinkError else { return false }
            return i.code == "model_access_denied"
        }
        let slow = h.client(apiKey: "slow")
        // The window opens at the first request, after `opened`; Retry-After is what is
        // left of it, rounded up. A held-up test sees less left, never more than 30 s.
        let opened = wallClock()
        _ = try await slow.submit(request(), idempotencyKey: nil)
        await #expect { try await slow.submit(request(), idempotencyKey: nil) } throws: { e in
            guard case .rateLimited(_, let after)? = e as? EvoLinkError, let after else { return false }
            let elapsed = wallClock() - opened
            return after <= 30 && after >= (30 - elapsed).rounded(.down)
        }
        await h.stop()
    }

    @Test func idempotentReplayCarriesTheHeaderAndTheSameTask() async throws {
        let h = try SimHarness()
        let body = request(n: 3).encoded()
        func post(_ key: String, _ body: [UInt8]) async throws -> HTTPClientResponse {
            try await h.http.execute(HTTPClientRequest(
                method: "POST", url: h.sim.baseURL + "/v1/images/generations",
                headers: ["Authorization": "Bearer k", "Idempotency-Key": key, "Content-Type": "application/json"],
                body: body))
        }
        let first = try await post("order-7", body)
        let second = try await post("order-7", body)
        #expect(first.status == 200 && second.status == 200)
        #expect(first.headers["idempotency-replayed"] == nil)
        #expect(second.headers["idempotency-replayed"] == "true")
        #expect(try TaskDetail.decode(first.body).id == TaskDetail.decode(second.body).id)
        let other = try await post("order-7", request(n: 1).encoded())
        #expect(other.status == 422)
        let viaClient = try await h.client.submit(request(n: 3), idempotencyKey: "order-8").0
        let replay = try await h.client.submit(request(n: 3), idempotencyKey: "order-8").0
        #expect(viaClient.id == replay.id)
        #expect(h.sim.stats.tasksSubmitted == 2 && h.sim.stats.idempotentReplays == 2 && h.sim.stats.creditsCharged == 6)
        await h.stop()
    }

    @Test func httpAndInternalCallbacksRefusedWithoutTheLocalDevFlag() async throws {
        let h = try SimHarness(configure: { $0.allowInsecureCallbacks = false }, validateLocally: false)
        for url in ["http://hooks.example.com/cb", "https://127.0.0.1/cb", "https://10.1.2.3/cb"] {
            await #expect { try await h.client.submit(request(callback: url), idempotencyKey: nil) } throws: { e in
                guard case .badRequest(let i) = e as? EvoLinkError else { return false }
                return i.param == "callback_url"
            }
        }
        await h.stop()
    }

    @Test func apiFaultRatesFromConfiguration() async throws {
        let h = try SimHarness(configure: { $0.faults.apiRateLimit = 1 })
        for _ in 0..<3 {
            await #expect { try await h.client.submit(request(), idempotencyKey: nil) } throws: { e in
                if case .rateLimited? = e as? EvoLinkError { return true }
                return false
            }
        }
        #expect(h.sim.stats.apiFaultsInjected == 3 && h.sim.stats.tasksSubmitted == 0)
        await h.stop()
    }
}
