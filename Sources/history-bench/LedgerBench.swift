import Foundation
import HTTPClient
import ImageHook
import Store

/// `history-bench ledger`: `GET /v1/ledger` answer time over HTTP at each history size,
/// beside what recounting the rows (the ledger before the counters table) costs there.
enum LedgerBench {
    struct Row {
        let tasks: Int
        let fillSeconds: Double
        let answer: Latencies
        let recountMilliseconds: Double
        let balanced: Bool
    }

    static func run(sizes: [Int], requests: Int) async throws -> [Row] {
        var rows: [Row] = []
        for tasks in sizes {
            let bench = try await BenchService()
            let fillStart = ContinuousClock.now
            try await HistoryFill.completedTasks(tasks, now: Date().timeIntervalSince1970, age: 3600,
                                                 in: bench.service.database)
            let fill = Latencies.milliseconds(ContinuousClock.now - fillStart) / 1000
            var answer = Latencies()
            var balanced = false
            let request = HTTPClientRequest(url: bench.internalURL + "/v1/ledger",
                                            headers: ["Authorization": "Bearer \(BenchService.token)"])
            for i in 0..<(requests + 20) {
                let start = ContinuousClock.now
                let response = try await bench.client.execute(request)
                let ms = Latencies.milliseconds(ContinuousClock.now - start)
                guard response.status == 200 else { throw BenchError.unexpected("ledger answered \(response.status)") }
                if i >= 20 { answer.add(ms) }   // the first ones warm the connection and caches
                balanced = String(decoding: response.body, as: UTF8.self).contains(#""balanced":true"#)
            }
            // The old ledger: GROUP BY counts over journal, jobs and relays per request.
            let recountStart = ContinuousClock.now
            _ = try await bench.service.database.read { db in
                (try db.query("SELECT source, outcome, COUNT(*) FROM journal GROUP BY source, outcome"),
                 try db.query("SELECT state, COUNT(*) FROM download_jobs GROUP BY state"),
                 try db.query("SELECT state, COUNT(*) FROM relay_deliveries GROUP BY state"))
            }
            let recount = Latencies.milliseconds(ContinuousClock.now - recountStart)
            rows.append(Row(tasks: tasks, fillSeconds: fill, answer: answer, recountMilliseconds: recount,
                            balanced: balanced))
            await bench.stop()
        }
        return rows
    }

    static func table(_ rows: [Row]) -> String {
        var out = "| tasks (2 images, 2 journal entries each) | GET /v1/ledger p50 | p99 | max | target | row recount (old ledger) | balanced |\n"
        out += "|---|---|---|---|---|---|---|\n"
        for r in rows {
            out += "| \(r.tasks.formatted()) | \(fmt(r.answer.percentile(50))) ms | \(fmt(r.answer.percentile(99))) ms "
                + "| \(fmt(r.answer.maximum)) ms | p99 < 5 ms, flat in tasks | \(fmt(r.recountMilliseconds)) ms | \(r.balanced) |\n"
        }
        return out
    }
}

func fmt(_ value: Double) -> String { String(format: value < 10 ? "%.2f" : "%.0f", value) }

enum BenchError: Error { case unexpected(String) }
