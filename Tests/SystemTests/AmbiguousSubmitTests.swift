import Foundation
import HTTPClient
import Testing
import TestSupport

/// An ambiguous submit (the provider never answered definitively) is recorded and later
/// resolved with the same Idempotency-Key, never by a fresh submit (issue 5, Submit);
/// the record survives kill -9, the background resolver finishes it without the caller,
/// and the provider ends up with exactly one task.
@Suite struct AmbiguousSubmitTests {
    @Test(.timeLimit(.minutes(2)))
    func ambiguousSubmitIsResolvedOnceAfterKillNine() async throws {
        let seed = SystemSeed.fromEnvironment()
        let harness = try await offPool { try SystemHarness(label: "ambiguous", seed: seed,
                                        daemonSettings: ["submit_max_attempts": "2", "submit_retry_base": "50ms",
                                                         "ambiguous_resolve_interval": "1s"]) }
        defer { harness.shutdown() }
        try await harness.startDaemon()
        let http = harness.http

        // Both of the daemon's tries get a 500: no definitive answer, so 502 "retry with
        // the same Idempotency-Key", and the submission stays ambiguous on disk.
        try await harness.simulator.setFaults(#"{"next_api_statuses":[500,500]}"#, http)
        let body = #"{"model":"wan2.5-text-to-image","prompt":"ambiguous \#(seed)","size":"768x768","n":1}"#
        let key = "ambiguous-\(seed)"
        let first = try await harness.submit(body, idempotencyKey: key)
        #expect(first.status == 502, "first answer \(first.status) \(String(decoding: first.body, as: UTF8.self))")
        await harness.daemon.killHardAsync()
        try await harness.daemon.start()

        // The caller does nothing; the restarted daemon resolves the submission itself.
        var listed: Set<String> = []
        let end = Date().addingTimeInterval(30)
        while Date() < end {
            listed = (try? await harness.allTaskIDs()) ?? []
            if !listed.isEmpty { break }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        let id = try #require(listed.first, "the ambiguous submission was never resolved after the restart\n\(harness.diagnostics())")
        #expect(listed.count == 1, "tasks: \(listed)")

        // A late retry by the caller replays the same task; the provider has exactly one.
        let retry = try await harness.submit(body, idempotencyKey: key)
        #expect(retry.status == 200 && (try? JSONObject(bytes: retry.body))?.string("id") == id,
                "retry: \(retry.status) \(String(decoding: retry.body, as: UTF8.self)); resolved task \(id)")
        let (views, quiet) = await RecoveryAudit.waitForQuiet(harness, taskIDs: [id], timeout: 30)
        #expect(quiet && views[id]?.string("status") == "completed", "\(views[id]?.raw ?? [:])")
        let stats = try await harness.simulator.stats(http)
        #expect(stats.int("tasks_submitted") == 1, "provider tasks: \(stats.raw)")
    }
}
