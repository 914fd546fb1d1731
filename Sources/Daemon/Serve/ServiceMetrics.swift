import Foundation
import ImageHook
import Store

/// Scrape-time figures from the service: the ledger (with `imagehook_ledger_balanced`),
/// queue depths, the oldest unfinished task, and the store writer's counters.
enum ServiceMetrics {
    typealias Sample = MetricsRegistry.Sample

    /// Terminal task status names as stored in the tasks table.
    static let terminalStatuses = ["completed", "failed", "cancelled"]

    static func samples(service: ImageHookService, now: Double = Date().timeIntervalSince1970) async -> [Sample] {
        var out: [Sample] = []
        do {
            let l = try await service.ledger()
            out += ledgerSamples(l)
        } catch {
            out.append(Sample(name: "imagehook_ledger_available", help: "0 when the ledger could not be read.", value: 0))
        }
        let database = service.database
        let stats = database.writerStatistics
        out += [
            Sample(name: "imagehook_store_commits_total", help: "Durable COMMITs of the group-commit writer.",
                   type: "counter", value: Double(stats.commits)),
            // Commit latency as a sum: rate(commit_seconds_total) / rate(commits_total)
            // is the mean time per durable COMMIT (fsync included).
            Sample(name: "imagehook_store_commit_seconds_total", help: "Time spent in COMMIT (fsync), seconds.",
                   type: "counter", value: stats.commitSeconds),
            Sample(name: "imagehook_store_committed_writes_total", help: "Write bodies committed.",
                   type: "counter", value: Double(stats.committedWrites)),
            Sample(name: "imagehook_store_failed_writes_total", help: "Write bodies rolled back.",
                   type: "counter", value: Double(stats.failedWrites)),
            Sample(name: "imagehook_store_failed_batches_total", help: "BEGIN/COMMIT failures.",
                   type: "counter", value: Double(stats.failedBatches)),
            Sample(name: "imagehook_store_largest_batch", help: "Most write bodies in one commit so far.",
                   value: Double(stats.largestBatch)),
            Sample(name: "imagehook_queue_depth", help: "Work waiting, by queue.",
                   labels: [("queue", "store_writes")], value: Double(database.pendingWrites)),
        ]
        let oldest = try? await database.read { db -> Double? in
            let terminal = terminalStatuses.map { "'\($0)'" }.joined(separator: ",")
            return try db.scalar("SELECT MIN(created) FROM tasks WHERE status NOT IN (\(terminal))").double
        }
        let age = (oldest ?? nil).map { max(0, now - $0) } ?? 0
        let downloaded = try? await database.read { db -> (bytes: Double, attempts: Double) in
            let row = try db.queryOne("SELECT COALESCE(SUM(bytes), 0), COALESCE(SUM(attempts), 0) FROM download_jobs WHERE state = 'stored'")
            return (row?.double(0) ?? 0, row?.double(1) ?? 0)
        }
        let allAttempts = try? await database.read { db -> Double in
            try db.scalar("SELECT COALESCE(SUM(attempts), 0) FROM download_jobs").double ?? 0
        }
        out.append(Sample(name: "imagehook_downloads_stored_bytes_total", help: "Bytes of images stored.",
                          type: "counter", value: downloaded?.bytes ?? 0))
        out.append(Sample(name: "imagehook_download_attempts_total", help: "Download attempts made, all images.",
                          type: "counter", value: allAttempts ?? 0))
        // Submissions by state: `ambiguous` waits for the resolver, `abandoned` was given
        // up unconfirmed (alert on any: a task may exist at the provider unseen).
        let submissions = (try? await database.read { db -> [(String, Double)] in
            try db.query("SELECT state, COUNT(*) AS n FROM submissions GROUP BY state")
                .map { ($0.string("state") ?? "?", $0.double("n") ?? 0) }
        }) ?? []
        let byState = Dictionary(submissions, uniquingKeysWith: +)
        for state in ["submitting", "ambiguous", "submitted", "rejected", "abandoned"] {
            out.append(Sample(name: "imagehook_submissions", help: "Submissions by state.",
                              labels: [("state", state)], value: byState[state] ?? 0))
        }
        out.append(Sample(name: "imagehook_oldest_unfinished_task_age_seconds",
                          help: "Age of the oldest task not yet in a terminal state (0 when none).", value: age))
        return out
    }

    static func ledgerSamples(_ l: Ledger) -> [Sample] {
        let callbacks = "imagehook_ledger_callbacks"
        let images = "imagehook_ledger_images"
        let relays = "imagehook_ledger_relays"
        var out: [Sample] = [
            Sample(name: "imagehook_ledger_callbacks_received_total", help: "Callbacks received.", type: "counter",
                   value: Double(l.callbacksReceived)),
        ]
        for (outcome, n) in [("applied", l.callbacksApplied), ("duplicate", l.callbacksDuplicate),
                             ("stale", l.rejectedStale), ("conflict", l.rejectedConflict),
                             ("mismatch", l.rejectedMismatch), ("invalid", l.rejectedInvalid)] {
            out.append(Sample(name: callbacks + "_total", help: "Callbacks by outcome.", type: "counter",
                              labels: [("outcome", outcome)], value: Double(n)))
        }
        for (result, n) in [("applied", l.pollsApplied), ("unchanged", l.pollsUnchanged)] {
            out.append(Sample(name: "imagehook_ledger_polls_total", help: "Provider polls by result.", type: "counter",
                              labels: [("result", result)], value: Double(n)))
        }
        out.append(Sample(name: images + "_expected", help: "Images expected from completed tasks.",
                          value: Double(l.imagesExpected)))
        for (state, n) in [("stored", l.imagesStored), ("failed", l.imagesFailed), ("expired", l.imagesExpired),
                           ("in_flight", l.imagesInFlight)] {
            out.append(Sample(name: images, help: "Images (download jobs) by outcome.",
                              labels: [("state", state)], value: Double(n)))
        }
        for (state, n) in [("delivered", l.relaysDelivered), ("pending", l.relaysPending), ("given_up", l.relaysGivenUp)] {
            out.append(Sample(name: relays, help: "Relay deliveries to submitters by state.",
                              labels: [("state", state)], value: Double(n)))
        }
        out.append(Sample(name: "imagehook_queue_depth", help: "Work waiting, by queue.",
                          labels: [("queue", "downloads")], value: Double(l.imagesInFlight)))
        out.append(Sample(name: "imagehook_queue_depth", help: "Work waiting, by queue.",
                          labels: [("queue", "relays")], value: Double(l.relaysPending)))
        out.append(Sample(name: "imagehook_ledger_balanced",
                          help: "1 when callbacks received = applied + duplicate + rejected and images expected = stored + failed + expired + in flight.",
                          value: l.balanced ? 1 : 0))
        return out
    }
}
