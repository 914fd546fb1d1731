import EvoLink
import EvoLinkSim
import Foundation
import HTTPClient
import Store
import Testing
@testable import ImageHook
import Support

@Suite struct SubmitTests {
    @Test func idempotencyReplayAndConflict() async throws {
        let h = try Harness()
        try await h.start()
        let body = Harness.body(prompt: "replay me")
        let first = try await h.submit(body, key: "k-1")
        #expect(first.status == 200)
        // Same key, same body (keys reordered): the stored answer, nothing sent.
        let reordered = Array(#"{"size":"768x768","n":1,"prompt":"replay me","model":"wan2.5-text-to-image"}"#.utf8)
        let replay = try await h.submit(reordered, key: "k-1")
        #expect(replay.status == 200)
        #expect(replay.body == first.body)
        #expect(replay.headers["Idempotency-Replayed"] == "true")
        // Same key, different body: 422.
        let conflict = try await h.submit(Harness.body(prompt: "something else"), key: "k-1")
        #expect(conflict.status == 422)
        #expect(h.sim.stats.tasksSubmitted == 1)
        // No key: each request is its own submission.
        #expect(try await h.submit(body).status == 200)
        #expect(h.sim.stats.tasksSubmitted == 2)
        await h.stop()
    }

    @Test func sameKeyInFlightAnswers409WithRetryAfter() async throws {
        let holder = Locked<HeldSubmitProvider?>(nil)
        let h = try Harness(wrapProvider: { inner in
            let held = HeldSubmitProvider(inner: inner)
            holder.withLock { $0 = held }
            return held
        })
        try await h.start()
        let provider = try #require(holder.withLock { $0 })
        defer { provider.release() }
        let body = Harness.body(prompt: "slow")
        // The first request is recorded `submitting` and its provider call is held until
        // the test releases it, after the second answer: a second request with the same
        // key meanwhile gets 409 with Retry-After and never reaches the provider.
        async let first = h.submit(body, key: "slow-key")
        #expect(await h.eventually { provider.submitsStarted == 1 })
        let found: SubmissionRecord?? = try? await h.service.database.read {
            try SubmissionRepository.find(caller: "tester", key: "slow-key", in: $0)
        }
        #expect((found ?? nil)?.state == "submitting")
        let second = try await h.submit(body, key: "slow-key")
        #expect(second.status == 409)
        #expect(second.headers["Retry-After"] != nil)
        #expect(provider.submitsStarted == 1)
        provider.release()
        #expect(try await first.status == 200)
        #expect(h.sim.stats.tasksSubmitted == 1)
        await h.stop()
    }

    @Test func ambiguousSubmitIsResolvedWithTheSameKeyNeverTwice() async throws {
        // Every inline attempt "loses" its answer: the caller gets 502, the submission
        // stays ambiguous; the caller's retry (same key) resumes it; the provider
        // replays; exactly one task exists.
        let h = try Harness(tweak: { $0.submitMaxAttempts = 2; $0.ambiguousResolveInterval = 3600 },
                            wrapProvider: { LosingAnswerProvider(inner: $0, count: 2) })
        try await h.start()
        let body = Harness.body(prompt: "lost answer")
        let first = try await h.submit(body, key: "amb-1")
        #expect(first.status == 502)
        #expect(first.headers["Retry-After"] != nil)
        let retry = try await h.submit(body, key: "amb-1")
        #expect(retry.status == 200)
        let id = try #require(JSONValue.parse(retry.body)?["id"]?.stringValue)
        #expect(h.sim.stats.tasksSubmitted == 1)
        let view = try #require(try await h.waitSettled(id, relay: false))
        #expect(view["images"]?.arrayValue.first?["state"]?.stringValue == "stored")
        await h.stop()
    }

    @Test func ambiguousSubmitNobodyRetriesIsResolvedInTheBackground() async throws {
        let h = try Harness(tweak: { $0.submitMaxAttempts = 2; $0.ambiguousResolveInterval = 0.3 },
                            wrapProvider: { LosingAnswerProvider(inner: $0, count: 2) })
        try await h.start()
        let first = try await h.submit(Harness.body(prompt: "resolve me"), key: "bg-1")
        #expect(first.status == 502)
        // Nobody retries: the reconciler resumes it with the same key and records the answer.
        var id: String?
        #expect(await h.eventually {
            let found: SubmissionRecord?? = try? await h.service.database.read {
                try SubmissionRepository.find(caller: "tester", key: "bg-1", in: $0)
            }
            let record = found ?? nil
            id = record?.taskID
            return record?.state == "submitted"
        })
        let taskID = try #require(id)
        let view = try #require(try await h.waitSettled(taskID, relay: false))
        #expect(view["images"]?.arrayValue.first?["state"]?.stringValue == "stored")
        #expect(h.sim.stats.tasksSubmitted == 1)
        // The caller's later retry gets the stored answer.
        let replay = try await h.submit(Harness.body(prompt: "resolve me"), key: "bg-1")
        #expect(replay.status == 200)
        #expect(replay.headers["Idempotency-Replayed"] == "true")
        #expect(try await h.service.ledger().balanced)
        await h.stop()
    }

    @Test func authAndValidation() async throws {
        let h = try Harness()
        try await h.start()
        #expect(try await h.submit(Harness.body(), token: "wrong").status == 401)
        let bad = try await h.submit(Harness.body(size: "100x100"))
        #expect(bad.status == 400)
        let envelope = try #require(JSONValue.parse(bad.body)?["error"])
        #expect(envelope["param"]?.stringValue == "size")
        let badRelay = try await h.submit(Harness.body(callbackURL: "ftp://x"))
        #expect(badRelay.status == 400)
        #expect(h.sim.stats.tasksSubmitted == 0)
        #expect(try await h.get("/v1/tasks/task-unified-nope").status == 404)
        await h.stop()
    }
}
