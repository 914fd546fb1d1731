import Foundation
import HTTPClient
import Testing
import TestSupport

/// "No 2xx to a callback before its bytes are durable (fsync'd)" cannot be shown with
/// SIGKILL alone (the page cache survives a killed process), so this test watches the
/// daemon's system calls with strace and checks the order on the wire and the disk:
/// - callback: request read -> the callback's own bytes written to the WAL -> fsync of
///   that WAL completed -> `200` written (any fsync would not do: a background commit
///   could provide one while the callback's write is still unsynced or not made yet);
/// - submit: request read -> database synced (`submitting` recorded) -> provider call;
///   provider answer read -> database synced (task recorded) -> `200` to the caller;
/// - image: temp file synced -> renamed into images/ -> shard directory synced.
@Suite struct DurableBeforeAnswerTests {
    @Test(.timeLimit(.minutes(2)))
    func answersFollowACompletedSync() async throws {
        let seed = SystemSeed.fromEnvironment()
        let harness = try await offPool { try SystemHarness(label: "fsync", seed: seed, callbacksReachDaemon: false,
                                        daemonSettings: ["poll_grace": "10m", "poll_default_estimate": "10m"]) }
        defer { harness.shutdown() }
        let tracePath = harness.directory.file("imagehookd.strace")
        try await harness.startDaemon(traceInto: tracePath)

        let body = #"{"model":"wan2.5-text-to-image","prompt":"durable order \#(seed)","size":"768x768","n":1}"#
        let submitted = try await harness.submit(body, idempotencyKey: "fsync-\(seed)")
        try #require(submitted.status == 200, "submit answered \(submitted.status)\n\(harness.diagnostics())")
        let id = try #require(try JSONObject(bytes: submitted.body).string("id"))
        let (uri, providerView) = try await CallbackDurabilityTests.refusedCallback(harness, taskID: id, seen: [])
        // A field only this callback carries (unknown fields are kept verbatim in the
        // journal), to find its own write to the database in the trace.
        let probe = "durability-probe-\(seed)-\(UInt32.random(in: 0...UInt32.max))"
        let view = Array("{\"durability_probe\":\"\(probe)\",".utf8) + providerView.dropFirst()
        let ack = try await harness.http.execute(HTTPClientRequest(method: "POST", url: harness.daemon.publicURL + uri,
                                                                   headers: ["Content-Type": "application/json"], body: view))
        try #require(ack.status == 200, "callback answered \(ack.status)")
        let (views, quiet) = await RecoveryAudit.waitForQuiet(harness, taskIDs: [id], timeout: 30)
        let stored = views[id]?.objects("images").first { $0.string("state") == "stored" }
        let sha = try #require(stored?.string("sha256"), "image not stored (quiet \(quiet)): \(views[id]?.raw ?? [:])")
        await harness.daemon.killHardAsync()  // strace flushes its log when the tracee is gone

        let trace = await offPool { SyscallTrace((try? String(contentsOfFile: tracePath, encoding: .utf8)) ?? "") }
        try #require(!trace.calls.isEmpty, "empty strace log at \(tracePath)")
        let database = "imagehook.sqlite"

        // The callback.
        let callbackRead = try #require(trace.firstRead(containing: "POST \(uri)"), "callback request not seen in the trace")
        let callbackAnswer = try #require(trace.firstWrite(containing: "HTTP/1.1 200", after: callbackRead.end,
                                                           sameFile: callbackRead.firstArgument), "callback answer not seen")
        let ownWrite = try #require(trace.calls.first {
            ($0.name == "pwrite64" || SyscallTrace.writes.contains($0.name)) && $0.start > callbackRead.end
                && $0.start < callbackAnswer.start && $0.firstArgument.contains(database) && $0.text.contains(probe)
        }, "the callback's bytes were not written to the database before its 200:\n\(trace.excerpt(callbackRead.start, callbackAnswer.end))")
        let callbackSyncs = trace.syncs(of: database, after: ownWrite.end, before: callbackAnswer.start)
            .filter { $0.firstArgument == ownWrite.firstArgument }
        #expect(!callbackSyncs.isEmpty, """
            callback answered 200 with no completed fsync/fdatasync of the file holding its own write (\(ownWrite.firstArgument)):
            \(trace.excerpt(callbackRead.start, callbackAnswer.end))
            """)

        // The submit.
        let submitRead = try #require(trace.firstRead(containing: "POST /v1/images/generations"), "submit request not seen")
        let providerCall = try #require(trace.calls.first {
            SyscallTrace.writes.contains($0.name) && $0.start > submitRead.end
                && $0.text.contains("POST /v1/images/generations") && $0.firstArgument != submitRead.firstArgument
        }, "provider submit not seen")
        #expect(!trace.syncs(of: database, after: submitRead.end, before: providerCall.start).isEmpty, """
            provider called before the submission was durably recorded:
            \(trace.excerpt(submitRead.start, providerCall.end))
            """)
        let providerAnswer = try #require(trace.calls.first {
            SyscallTrace.reads.contains($0.name) && $0.start > providerCall.end
                && $0.firstArgument == providerCall.firstArgument && $0.text.contains("HTTP/1.1 200")
        }, "provider answer not seen")
        let submitAnswer = try #require(trace.firstWrite(containing: "HTTP/1.1 200", after: providerAnswer.end,
                                                         sameFile: submitRead.firstArgument), "submit answer not seen")
        #expect(!trace.syncs(of: database, after: providerAnswer.end, before: submitAnswer.start).isEmpty, """
            submit answered 200 before the provider's task was durably recorded:
            \(trace.excerpt(providerAnswer.start, submitAnswer.end))
            """)
        // The image: its temp file synced before the rename into images/, and the shard
        // directory synced after it, so a visible file is complete and stays visible.
        let rename = try #require(trace.calls.first { $0.name.hasPrefix("rename") && $0.text.contains("\(sha).png") && $0.succeeded },
                                  "no rename to \(sha).png in the trace")
        let tempSynced = trace.calls.contains {
            SyscallTrace.syncs.contains($0.name) && $0.end < rename.start && $0.firstArgument.contains("/data/tmp/") && $0.succeeded
        }
        #expect(tempSynced, "image renamed into place without an fsync of its temp file first:\n\(trace.excerpt(max(0, rename.start - 40), rename.end))")
        let shard = "/data/images/\(sha.prefix(2))>"
        let directorySynced = trace.calls.contains {
            SyscallTrace.syncs.contains($0.name) && $0.start > rename.end && $0.firstArgument.hasSuffix(shard) && $0.succeeded
        }
        #expect(directorySynced, "no fsync of images/\(sha.prefix(2)) after the rename:\n\(trace.excerpt(rename.start, min(trace.lines.count - 1, rename.end + 40)))")
        print("[durable-order] callback: \(callbackSyncs.count) sync(s) between request and 200, e.g. \(callbackSyncs.first.map { String($0.text.prefix(120)) } ?? "-")")
    }
}
