import Foundation
import HTTPClient
import Testing
import TestSupport

/// The data directory's disk fails under the running daemon (issue 10, "Disk full and
/// read-only data dir"): a callback is answered 503 with Retry-After (the provider
/// retries) and never 2xx unless it was persisted, `/readyz` fails, and once the disk
/// is usable again the daemon takes callbacks and finishes its downloads by itself.
/// Real small filesystems (a tmpfs, an ext4 image on a loop device) mounted over the
/// daemon's data directory; this needs root, as CI has (a non-root run fails loudly).
@Suite(.serialized) struct DiskFaultTests {
    static let settings = ["poll_grace": "10m", "poll_default_estimate": "10m", "readyz_min_free_bytes": "1MiB",
                           "retry_after": "3"]

    @Test(.timeLimit(.minutes(3)))
    func fullDiskAnswers503UntilSpaceIsBackThenRecoversByItself() async throws {
        let seed = SystemSeed.fromEnvironment()
        let harness = try await offPool { try SystemHarness(label: "diskfull", seed: seed, callbacksReachDaemon: false,
                                                                 daemonSettings: Self.settings) }
        let fs = try await offPool { try ScratchFilesystem.tmpfs(at: harness.daemon.dataDirectory, megabytes: 48) }
        try await Self.withTearDown(harness, fs) { try await Self.fullDisk(harness, fs) }
    }

    static func fullDisk(_ harness: SystemHarness, _ fs: ScratchFilesystem) async throws {
        try await harness.startDaemon()
        let (id, uri, view) = try await Self.taskAwaitingItsCallback(harness, label: "full-\(UInt32.random(in: 0...UInt32.max))")
        #expect(try await Self.readyz(harness) == 200)

        let filled = try await offPool { try fs.fill() }
        let notReady = try await Self.waitForReadyz(harness, toBe: { $0 != 200 }, within: 10)
        #expect(notReady, "/readyz still 200 with the disk full (\(filled) filler bytes written)")

        // Keep sending until the store runs out of room: the WAL may still have room for
        // a few appends, and an answer of 200 is then right, since it was persisted.
        var acknowledged = 0
        var refused = 0
        var wrong: [String] = []
        for _ in 0..<400 where refused < 5 {
            let r = try await Self.postCallback(harness, uri: uri, body: view)
            switch r.status {
            case 200: acknowledged += 1
            case 503:
                refused += 1
                if r.headers["Retry-After"] != "3" { wrong.append("503 without Retry-After: 3: \(r.headers)") }
            default: wrong.append("\(r.status) \(String(decoding: r.body, as: UTF8.self))")
            }
        }
        #expect(refused >= 5, "no 503 while the disk is full: \(acknowledged) callbacks acknowledged\n\(harness.diagnostics())")
        #expect(wrong.isEmpty, "answers other than 200/503 with Retry-After: \(wrong.prefix(5))")
        let stillNotReady = try await Self.readyz(harness)
        #expect(stillNotReady == 503, "/readyz answered \(stillNotReady) with the disk full")

        // Space is back: no restart, no signal; the daemon takes callbacks again.
        await offPool { fs.freeSpace() }
        let ready = try await Self.waitForReadyz(harness, toBe: { $0 == 200 }, within: 15)
        #expect(ready, "/readyz not 200 within 15 s of space coming back\n\(harness.diagnostics())")
        var after = try await Self.postCallback(harness, uri: uri, body: view)
        let end = Date().addingTimeInterval(10)
        while after.status != 200 && Date() < end {
            try await Task.sleep(nanoseconds: 200_000_000)
            after = try await Self.postCallback(harness, uri: uri, body: view)
        }
        #expect(after.status == 200, "callback after recovery: \(after.status)\n\(harness.diagnostics())")
        if after.status == 200 { acknowledged += 1 }

        // The download that failed on the full disk finishes now.
        let (views, quiet) = await RecoveryAudit.waitForQuiet(harness, taskIDs: [id], timeout: 60)
        #expect(quiet, "task not settled after recovery: \(views[id]?.raw ?? [:])\n\(harness.diagnostics())")
        #expect(views[id]?.objects("images").first?.string("state") == "stored", "image: \(views[id]?.raw ?? [:])")

        // Every 2xx was persisted: it is in the journal, also after kill -9.
        try await Self.expectJournaled(harness, atLeast: acknowledged, context: "disk full")
    }

    @Test(.timeLimit(.minutes(3)))
    func readOnlyDataDirAnswers503AndRecoversAfterTheRemount() async throws {
        let seed = SystemSeed.fromEnvironment()
        let harness = try await offPool { try SystemHarness(label: "readonly", seed: seed, callbacksReachDaemon: false,
                                                                 daemonSettings: Self.settings) }
        let image = harness.directory.file("data.ext4")
        let fs = try await offPool { try ScratchFilesystem.ext4(at: harness.daemon.dataDirectory, image: image, megabytes: 64) }
        try await Self.withTearDown(harness, fs) { try await Self.readOnly(harness, fs) }
    }

    static func readOnly(_ harness: SystemHarness, _ fs: ScratchFilesystem) async throws {
        try await harness.startDaemon()
        let (id, uri, view) = try await Self.taskAwaitingItsCallback(harness, label: "ro-\(UInt32.random(in: 0...UInt32.max))")

        try await offPool { try fs.forceReadOnly() }
        var wrong: [String] = []
        for _ in 0..<5 {
            let r = try await Self.postCallback(harness, uri: uri, body: view)
            if r.status != 503 || r.headers["Retry-After"] != "3" {
                wrong.append("\(r.status) Retry-After \(r.headers["Retry-After"] ?? "none"): \(String(decoding: r.body, as: UTF8.self))")
            }
        }
        #expect(wrong.isEmpty, "callbacks on a read-only data dir: \(wrong)\n\(harness.diagnostics())")
        let notReady = try await Self.waitForReadyz(harness, toBe: { $0 == 503 }, within: 10)
        #expect(notReady, "/readyz not 503 with a read-only data dir")

        // ext4 refuses to go back to read-write while mounted after a forced switch, so
        // recovery is what an operator does: stop, fsck + mount, start (systemd restarts).
        await harness.daemon.killHardAsync()
        try await offPool {
            fs.unmount()
            try fs.mount()
        }
        try await harness.daemon.start()
        let after = try await Self.postCallback(harness, uri: uri, body: view)
        #expect(after.status == 200, "callback after the remount: \(after.status)\n\(harness.diagnostics())")
        let (views, quiet) = await RecoveryAudit.waitForQuiet(harness, taskIDs: [id], timeout: 60)
        #expect(quiet, "task not settled after the remount: \(views[id]?.raw ?? [:])\n\(harness.diagnostics())")
        #expect(views[id]?.string("status") == "completed")
        try await Self.expectJournaled(harness, atLeast: after.status == 200 ? 1 : 0, context: "read-only")
    }

    // MARK: - helpers

    /// Submits one task and waits until the provider has tried (and the front refused)
    /// its callback: the callback is then ours to send.
    static func taskAwaitingItsCallback(_ harness: SystemHarness, label: String) async throws -> (String, String, [UInt8]) {
        try await harness.simulator.setFaults(#"{"rates":{}}"#, harness.http)
        let body = #"{"model":"wan2.5-text-to-image","prompt":"disk fault \#(label)","size":"768x768","n":1}"#
        let submitted = try await harness.submit(body, idempotencyKey: "disk-\(label)")
        try #require(submitted.status == 200, "submit: \(submitted.status) \(String(decoding: submitted.body, as: UTF8.self))\n\(harness.diagnostics())")
        let id = try #require(try JSONObject(bytes: submitted.body).string("id"))
        let (uri, view) = try await CallbackDurabilityTests.refusedCallback(harness, taskID: id, seen: [])
        // Polls fail from here on: only the callbacks this test sends can finish the task.
        try await harness.simulator.setFaults(#"{"rates":{"api_server_error":1}}"#, harness.http)
        return (id, uri, view)
    }

    static func postCallback(_ harness: SystemHarness, uri: String, body: [UInt8]) async throws -> HTTPClientResponse {
        try await harness.http.execute(HTTPClientRequest(method: "POST", url: harness.daemon.publicURL + uri,
                                                         headers: ["Content-Type": "application/json"], body: body))
    }

    static func readyz(_ harness: SystemHarness) async throws -> Int {
        try await harness.http.execute(HTTPClientRequest(url: harness.daemon.internalURL + "/readyz")).status
    }

    static func waitForReadyz(_ harness: SystemHarness, toBe wanted: (Int) -> Bool, within seconds: Double) async throws -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if let status = try? await readyz(harness), wanted(status) { return true }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        return false
    }

    /// The journal holds at least `count` callbacks, before and after a kill -9 and
    /// restart, and the ledger balances.
    static func expectJournaled(_ harness: SystemHarness, atLeast count: Int, context: String) async throws {
        let before = try await harness.ledger()
        #expect((before.object("callbacks")?.int("received") ?? -1) >= count, "\(context): \(count) acknowledged, ledger \(before.raw)")
        await harness.daemon.killHardAsync()
        try await harness.daemon.start()
        let after = try await harness.ledger()
        #expect((after.object("callbacks")?.int("received") ?? -1) >= count,
                "\(context): \(count) callbacks acknowledged but the journal holds fewer after kill -9: \(after.raw)")
        #expect(after.bool("balanced") == true, "\(context): \(after.raw)")
    }

    /// Runs `body`, then stops the daemon, unmounts its filesystem and ends the rest of
    /// the harness, also when `body` throws. Awaited (not a `defer` thread): the test
    /// process may exit right after the last test, and a mount must not outlive it.
    static func withTearDown(_ harness: SystemHarness, _ fs: ScratchFilesystem,
                             _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            await tearDown(harness, fs)
            throw error
        }
        await tearDown(harness, fs)
    }

    static func tearDown(_ harness: SystemHarness, _ fs: ScratchFilesystem) async {
        await offPool {
            harness.daemon.stop()
            fs.unmount()
            harness.front.stop()
            harness.simulator.stop()
        }
    }
}
