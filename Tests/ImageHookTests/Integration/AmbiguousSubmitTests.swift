import EvoLink
import EvoLinkSim
import Foundation
import Support
import Store
import Testing
@testable import ImageHook

/// Ambiguous submits: answered within a bounded time, resolved by their own worker
/// (polling never waits for them), and given up before the provider's idempotency
/// window could let a retry bill a second task.
@Suite struct AmbiguousSubmitTests {
    func state(_ h: Harness, key: String) async throws -> String? {
        try await h.service.database.read { try SubmissionRepository.find(caller: "tester", key: key, in: $0) }?.state
    }

    @Test func submitAnswersWithinItsBudgetAndTheCallFinishesInTheBackground() async throws {
        let held = Locked<HeldSubmitProvider?>(nil)
        let h = try Harness(tweak: { $0.submitAnswerTimeout = 0.3 }, wrapProvider: { inner in
            let p = HeldSubmitProvider(inner: inner)
            held.withLock { $0 = p }
            return p
        })
        try await h.start()
        let provider = try #require(held.withLock { $0 })
        let started = Date()
        let first = try await h.submit(Harness.body(), key: "slow-1")
        #expect(first.status == 202, "\(String(decoding: first.body, as: UTF8.self))")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(first.headers["Retry-After"] != nil)
        #expect(JSONValue.parse(first.body)?["idempotency_key"]?.stringValue == "slow-1")
        // The call is still under way: the key is in flight, nothing sent twice.
        #expect(try await h.submit(Harness.body(), key: "slow-1").status == 409)
        #expect(provider.submitsStarted == 1)
        provider.release()
        let confirmed = await h.eventually { (try? await self.state(h, key: "slow-1")) == "submitted" }
        #expect(confirmed)
        let replay = try await h.submit(Harness.body(), key: "slow-1")
        #expect(replay.status == 200)
        #expect(JSONValue.parse(replay.body)?["id"]?.stringValue?.hasPrefix("task-unified-") == true)
        #expect(h.sim.stats.tasksSubmitted == 1)
        await h.stop()
    }

    @Test func aHangingAmbiguousRetryDoesNotStallPolling() async throws {
        var sim = Harness.fastSim()
        sim.faults.dropCallback = 1  // only polling can finish the second task
        let scripted = Locked<ScriptedSubmitProvider?>(nil)
        let h = try Harness(sim: sim, tweak: {
            $0.submitMaxAttempts = 1
            $0.ambiguousResolveInterval = 0.05
        }, wrapProvider: { inner in
            let p = ScriptedSubmitProvider(inner: inner) { key, attempt in
                key == "stuck" ? (attempt == 1 ? .ambiguous : .hang) : .pass
            }
            scripted.withLock { $0 = p }
            return p
        })
        try await h.start()
        let provider = try #require(scripted.withLock { $0 })
        #expect(try await h.submit(Harness.body(), key: "stuck").status == 502)
        // The resolver picks it up and hangs in the provider.
        #expect(await h.eventually { provider.calls("stuck") >= 2 })
        let normal = try await h.submit(Harness.body(), key: "normal")
        #expect(normal.status == 200)
        let id = try #require(JSONValue.parse(normal.body)?["id"]?.stringValue)
        let view = try await h.waitSettled(id, relay: false, timeout: 30)
        #expect(view?["status"]?.stringValue == "completed")
        await h.stop()
    }

    @Test func anOldAmbiguousSubmitIsGivenUpNeverRetriedAndSaysSo() async throws {
        let scripted = Locked<ScriptedSubmitProvider?>(nil)
        let h = try Harness(tweak: {
            $0.submitMaxAttempts = 1
            $0.ambiguousResolveInterval = 0.05
            $0.ambiguousGiveUpAge = 3600
        }, wrapProvider: { inner in
            let p = ScriptedSubmitProvider(inner: inner) { _, _ in .ambiguous }
            scripted.withLock { $0 = p }
            return p
        })
        try await h.start()
        let provider = try #require(scripted.withLock { $0 })
        #expect(try await h.submit(Harness.body(), key: "lost").status == 502)
        #expect(await h.eventually { provider.calls("lost") >= 2 })  // retried while young
        h.clock.advance(3601)
        let abandoned = await h.eventually { (try? await self.state(h, key: "lost")) == "abandoned" }
        #expect(abandoned)
        let callsWhenGivenUp = provider.calls("lost")
        // The submitter's view: the same key now answers the final error, sending nothing.
        let replay = try await h.submit(Harness.body(), key: "lost")
        #expect(replay.status == 502)
        #expect(replay.headers["Idempotency-Replayed"] == "true")
        #expect(JSONValue.parse(replay.body)?["error"]?["code"]?.stringValue == "submit_unconfirmed")
        // Another resolver pass leaves it alone.
        await AmbiguousResolver(context: h.service.context, submitter: Submitter(
            context: h.service.context, applier: ReportApplier(pollSchedule: h.configuration.pollSchedule,
                                                               random: h.service.context.random))).resolveOnce(now: h.clock.now())
        #expect(provider.calls("lost") == callsWhenGivenUp)
        await h.stop()
    }
}
