import Foundation
import HTTPClient
import ImageHook
import Store
import Support

/// `history-bench prune`: durable callback acknowledgement latency (each 200 sent only
/// after its group commit is fsync'd) under a steady load, first alone, then while the
/// pruner removes `rows` expired journal entries in its bounded writes.
enum PruneBench {
    struct Phase {
        let name: String
        let latencies: Latencies
        let seconds: Double
        let failures: Int
    }

    struct Result {
        let rows: Int
        let phases: [Phase]
        let report: PruneReport
        let pruneSeconds: Double
        let bytesBefore: Int
        let bytesAfter: Int
        let balanced: Bool
    }

    static func run(rows: Int, tasks: Int, connections: Int, baselineSeconds: Double) async throws -> Result {
        var policy = RetentionPolicy()
        policy.interval = 86_400   // no background pass: the benchmark starts the one it measures
        let bench = try await BenchService(retention: policy)
        let now = Date().timeIntervalSince1970
        try await HistoryFill.journal(rows, now: now, age: 30 * 86_400, in: bench.service.database)
        let targets = try await callbackTargets(tasks, bench: bench, now: now)
        let bytesBefore = try await HistoryFill.databaseBytes(bench.service.database)

        let baseline = try await load(bench, targets, connections: connections, name: "callbacks alone") { start in
            ContinuousClock.now - start >= .milliseconds(Int(baselineSeconds * 1000))
        }
        let pruneStart = ContinuousClock.now
        let pruning = Task { await bench.service.pruneNow() }
        let finished = Locked(false)
        Task { _ = await pruning.value; finished.withLock { $0 = true } }
        let during = try await load(bench, targets, connections: connections,
                                    name: "callbacks during prune of \(rows.formatted()) rows") { _ in
            finished.withLock { $0 }
        }
        let report = await pruning.value
        let pruneSeconds = Latencies.milliseconds(ContinuousClock.now - pruneStart) / 1000
        let bytesAfter = try await HistoryFill.databaseBytes(bench.service.database)
        let balanced = try await bench.service.ledger().balanced
        await bench.stop()
        return Result(rows: rows, phases: [baseline, during], report: report, pruneSeconds: pruneSeconds,
                      bytesBefore: bytesBefore, bytesAfter: bytesAfter, balanced: balanced)
    }

    /// Processing tasks with known callback tokens, and a completing callback body each
    /// (the first one applies, later ones are duplicates: every one is journaled durably).
    static func callbackTargets(_ count: Int, bench: BenchService, now: Double) async throws -> [(url: String, body: [UInt8])] {
        let tokens = try CallbackTokens.load(path: bench.dir + "/token.key")
        var targets: [(url: String, body: [UInt8])] = []
        var records: [(SubmissionRecord, TaskRecord)] = []
        for i in 0..<count {
            let nonce = tokens.newNonce()
            let token = tokens.token(nonce: nonce)
            let id = "task-unified-1700000000-prune\(i)"
            records.append((SubmissionRecord(caller: "bench", idempotencyKey: "prune-\(i)", fingerprint: "f",
                                             tokenHash: CallbackTokens.hash(token: token), tokenNonce: nonce, relayURL: nil,
                                             request: Array(#"{"model":"wan2.5-text-to-image","prompt":"p"}"#.utf8),
                                             state: "submitted", taskID: id, createdAt: now, updatedAt: now),
                            TaskRecord(id: id, submissionID: 0, caller: "bench", status: "processing", progress: 10,
                                       created: Int(now), submittedAt: now, updatedAt: now)))
            let body = #"{"created":\#(Int(now)),"id":"\#(id)","model":"wan2.5-text-to-image","object":"image.generation.task","progress":100,"results":[],"status":"completed","type":"image"}"#
            targets.append((bench.publicURL + "/v1/callbacks/" + token, Array(body.utf8)))
        }
        let toInsert = records
        try await bench.service.database.write { tx in
            for (s, t) in toInsert {
                var task = t
                task.submissionID = try SubmissionRepository.insert(s, in: tx)
                try TaskRepository.save(task, in: tx)
            }
        }
        return targets
    }

    /// `connections` closed-loop clients posting callbacks until `done`.
    static func load(_ bench: BenchService, _ targets: [(url: String, body: [UInt8])], connections: Int, name: String,
                     done: @escaping @Sendable (ContinuousClock.Instant) -> Bool) async throws -> Phase {
        let start = ContinuousClock.now
        let client = bench.client
        let results = await withTaskGroup(of: (Latencies, Int).self) { group in
            for worker in 0..<connections {
                group.addTask {
                    var latencies = Latencies()
                    var failures = 0
                    var i = worker
                    while !done(start) {
                        let target = targets[i % targets.count]
                        i += connections
                        let sent = ContinuousClock.now
                        let response = try? await client.execute(HTTPClientRequest(
                            method: "POST", url: target.url, headers: ["Content-Type": "application/json"], body: target.body))
                        if response?.status == 200 {
                            latencies.add(Latencies.milliseconds(ContinuousClock.now - sent))
                        } else {
                            failures += 1
                        }
                    }
                    return (latencies, failures)
                }
            }
            var all = Latencies()
            var failures = 0
            for await (l, f) in group { all.add(contentsOf: l); failures += f }
            return (all, failures)
        }
        return Phase(name: name, latencies: results.0,
                     seconds: Latencies.milliseconds(ContinuousClock.now - start) / 1000, failures: results.1)
    }

    static func table(_ r: Result) -> String {
        var out = "| phase | callbacks acked/s | p50 | p99 | max | non-200 | target |\n|---|---|---|---|---|---|---|\n"
        let base = r.phases[0].latencies.percentile(99)
        for (i, p) in r.phases.enumerated() {
            let target = i == 0 ? "reference" : "p99 ≤ 1.5 × alone (\(fmt(base * 1.5)) ms)"
            out += "| \(p.name) | \(Int(Double(p.latencies.count) / max(p.seconds, 0.001))) | \(fmt(p.latencies.percentile(50))) ms "
                + "| \(fmt(p.latencies.percentile(99))) ms | \(fmt(p.latencies.maximum)) ms | \(p.failures) | \(target) |\n"
        }
        out += "\nPrune: \(r.report.journalEntries.formatted()) journal rows in \(r.report.writes.formatted()) writes, "
            + "\(fmt(r.pruneSeconds)) s (\(Int(Double(r.report.journalEntries) / max(r.pruneSeconds, 0.001)).formatted()) rows/s), "
            + "\(r.report.pagesFreed.formatted()) pages given back; database \(r.bytesBefore / 1_048_576) MiB → "
            + "\(r.bytesAfter / 1_048_576) MiB; ledger balanced: \(r.balanced).\n"
        return out
    }
}
