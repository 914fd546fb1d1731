import Foundation
import ImageHook
import Store

/// Rows the benchmarks write straight into the store before measuring: one known
/// submission per task, as a submit would have left them, so the measured path starts
/// at the callback (or at the download) with nothing else in the way.
struct BenchSeed {
    struct Task {
        var id: String
        var token: String
    }

    /// `count` submissions with their tasks in `status`; `results(i)` gives task i's
    /// result URLs and `size` its requested `WxH`. Returns each task's id and callback
    /// token.
    static func insert(count: Int, status: String, size: String? = nil, results: (Int) -> [String] = { _ in [] },
                       into service: ImageHookService, dataDirectory: String) async throws -> [Task] {
        let tokens = try CallbackTokens.load(path: dataDirectory + "/token.key")
        let now = Date().timeIntervalSince1970
        var rows: [(SubmissionRecord, TaskRecord, [String])] = []
        var seeded: [Task] = []
        for i in 0..<count {
            let nonce = tokens.newNonce()
            let token = tokens.token(nonce: nonce)
            let id = "task-unified-1700000000-bench\(i)"
            let urls = results(i)
            rows.append((SubmissionRecord(caller: "bench", idempotencyKey: "bench-\(i)", fingerprint: "f",
                                          tokenHash: CallbackTokens.hash(token: token), tokenNonce: nonce, relayURL: nil,
                                          request: Array(#"{"model":"wan2.5-text-to-image","prompt":"p"}"#.utf8),
                                          state: "submitted", taskID: id, createdAt: now, updatedAt: now),
                         TaskRecord(id: id, submissionID: 0, caller: "bench", status: status,
                                    progress: status == "completed" ? 100 : 10, results: urls.joined(separator: "\n"),
                                    created: Int(now), size: size, submittedAt: now, updatedAt: now),
                         urls))
            seeded.append(Task(id: id, token: token))
        }
        let toInsert = rows
        try await service.database.write { tx in
            for (submission, t, urls) in toInsert {
                var task = t
                task.submissionID = try SubmissionRepository.insert(submission, in: tx)
                try TaskRepository.save(task, in: tx)
                if !urls.isEmpty {
                    try DownloadJobRepository.insert(urls.enumerated().map { index, url in
                        DownloadJobRecord(taskID: task.id, index: index, url: url, nextAttemptAt: now, updatedAt: now)
                    }, in: tx)
                }
            }
        }
        return seeded
    }
}
