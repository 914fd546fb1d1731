import EvoLink
import EvoLinkSim
import Foundation
import HTTPClient
import Testing
@testable import ImageHook

/// Per-caller quotas: 429 with Retry-After and a JSON error, counted; an idempotent
/// replay is not new work and passes.
@Suite struct QuotaTests {
    @Test func submitsPerMinuteAndTasksInFlightAreRefusedWith429() async throws {
        // Slow simulator: submitted tasks stay in flight for the whole test.
        let h = try Harness(sim: Harness.fastSim { $0.timeScale = 5 }, tweak: { c in
            c.pollGrace = 3600
            c.callerLimits.perCaller["tester"] = CallerLimit(submitsPerMinute: 100, tasksInFlight: 2)
            c.callerLimits.perCaller["ops"] = CallerLimit(submitsPerMinute: 1, tasksInFlight: 0)
            c.internalTokens["ops"] = "ops-token-0123456789abcdef0123"
        })
        try await h.start()
        #expect(try await h.submit(Harness.body(prompt: "one"), key: "q-1").status == 200)
        #expect(try await h.submit(Harness.body(prompt: "two"), key: "q-2").status == 200)
        let refused = try await h.submit(Harness.body(prompt: "three"), key: "q-3")
        #expect(refused.status == 429)
        #expect(Int(refused.headers["Retry-After"] ?? "") ?? 0 >= 1)
        #expect(JSONValue.parse(refused.body)?["error"]?["code"]?.stringValue == "quota_exceeded")
        #expect(String(decoding: refused.body, as: UTF8.self).contains("2 tasks in flight"))
        // A replayed key is not a new submit.
        #expect(try await h.submit(Harness.body(prompt: "one"), key: "q-1").status == 200)

        // Per minute, for another caller with its own limit: the second new submit waits.
        let ops = "ops-token-0123456789abcdef0123"
        #expect(try await h.submit(Harness.body(prompt: "ops one"), key: "o-1", token: ops).status == 200)
        let late = try await h.submit(Harness.body(prompt: "ops two"), key: "o-2", token: ops)
        #expect(late.status == 429)
        let wait = Int(late.headers["Retry-After"] ?? "") ?? 0
        #expect(wait >= 1 && wait <= 60)
        #expect(String(decoding: late.body, as: UTF8.self).contains("1 submits per minute"))

        let counted = h.service.quotaRefusals.map { "\($0.caller)/\($0.limit)=\($0.count)" }
        #expect(counted == ["ops/submits_per_minute=1", "tester/tasks_in_flight=1"])
        // A reload raises the limit: the next submit goes through.
        var limits = h.configuration.callerLimits
        limits.perCaller["tester"] = CallerLimit(submitsPerMinute: 100, tasksInFlight: 10)
        h.service.replaceCallerLimits(limits)
        #expect(try await h.submit(Harness.body(prompt: "three"), key: "q-3").status == 200)
        await h.stop()
    }

    @Test func theRollingWindowAdmitsAgainWhenTheOldestSubmitLeavesIt() {
        var w = SubmitRateWindow(window: 60)
        #expect(w.admit(caller: "a", limit: 2, now: 0) == nil)
        #expect(w.admit(caller: "a", limit: 2, now: 10) == nil)
        #expect(w.admit(caller: "a", limit: 2, now: 20) == 40)
        #expect(w.admit(caller: "b", limit: 2, now: 20) == nil)
        #expect(w.admit(caller: "a", limit: 2, now: 60.5) == nil)
        #expect(w.admit(caller: "a", limit: 0, now: 61) == nil)
    }
}
