import EvoLink
import Store

/// The one path every task report takes (submit answer, callback, poll), run inside a
/// write transaction: journal the raw bytes, apply the lifecycle, persist the new state
/// and its follow-up work, all in the same durable commit.
struct ReportApplier: Sendable {
    let pollSchedule: PollSchedule
    let random: any RandomSource

    /// `requestedSize` is only evaluated when the task row is created (it parses the
    /// stored request; the hot duplicate path never needs it).
    func apply(detail: TaskDetail, raw: [UInt8], source: TaskEventSource, submission: SubmissionRecord,
               requestedSize: @autoclosure () -> String?, now: Double, in tx: Transaction) throws -> TaskOutcome {
        let existing = try TaskRepository.find(id: detail.id, in: tx)
        var lifecycle = TaskLifecycle(state: existing.map(Self.snapshot(of:)))
        let outcome = lifecycle.apply(TaskEvent(source: source, snapshot: TaskSnapshot(detail)))
        try JournalRepository.append(taskID: detail.id, source: source.rawValue, outcome: outcome.label,
                                     body: raw, at: now, in: tx)
        guard case .applied(let snapshot, let actions) = outcome else { return outcome }

        var record = existing ?? TaskRecord(
            id: detail.id, submissionID: submission.id, caller: submission.caller, status: snapshot.status.rawValue,
            created: detail.created ?? Int(now), estimatedTime: detail.taskInfo?.estimatedTime,
            size: requestedSize(), submittedAt: now, updatedAt: now)
        record.status = snapshot.status.rawValue
        record.progress = snapshot.progress
        record.results = Self.encodeResults(snapshot.results)
        record.errorCode = snapshot.errorCode
        record.errorMessage = snapshot.errorMessage
        if let created = detail.created { record.created = created }
        if let estimate = detail.taskInfo?.estimatedTime { record.estimatedTime = estimate }
        record.lastBody = raw
        record.updatedAt = now
        if snapshot.status.isTerminal {
            record.nextPollAt = nil
        } else if record.nextPollAt == nil || existing == nil {
            record.nextPollAt = pollSchedule.firstPoll(submittedAt: now, estimatedTime: record.estimatedTime.map(Double.init))
        }
        try TaskRepository.save(record, in: tx)

        for action in actions {
            switch action {
            case .enqueueDownloads(let urls):
                let cap = RequestedImageCount.of(submission.request)
                let jobs = urls.prefix(cap).enumerated().map { index, url in
                    DownloadJobRecord(taskID: detail.id, index: index, url: url, nextAttemptAt: now, updatedAt: now)
                }
                try DownloadJobRepository.insert(jobs, in: tx)
            case .scheduleRelay:
                try Self.enqueueRelayIfReady(taskID: detail.id, submission: submission, now: now, in: tx)
            case .stopPolling:
                break
            }
        }
        return outcome
    }

    /// Queues the relay POST once the task is terminal and every image job is final.
    static func enqueueRelayIfReady(taskID: String, submission: SubmissionRecord?, now: Double,
                                    in tx: Transaction) throws {
        guard let task = try TaskRepository.find(id: taskID, in: tx),
              TaskPhase(rawValue: task.status)?.isTerminal == true else { return }
        let owner: SubmissionRecord?
        if let submission { owner = submission } else { owner = try SubmissionRepository.find(id: task.submissionID, in: tx) }
        guard let url = owner?.relayURL, !url.isEmpty else { return }
        let jobs = try DownloadJobRepository.jobs(taskID: taskID, in: tx)
        guard jobs.allSatisfy({ $0.state.isFinal }) else { return }
        try RelayDeliveryRepository.insertIfAbsent(
            RelayDeliveryRecord(taskID: taskID, url: url, webhookID: "msg_" + taskID, nextAttemptAt: now, updatedAt: now),
            in: tx)
    }

    static func snapshot(of record: TaskRecord) -> TaskSnapshot {
        TaskSnapshot(status: TaskPhase(rawValue: record.status) ?? .pending, progress: record.progress,
                     results: decodeResults(record.results), errorCode: record.errorCode,
                     errorMessage: record.errorMessage)
    }

    /// Result URLs are stored one per line: a URL cannot contain a line break (RFC 3986
    /// §2), and this runs inside the single writer for every callback, so it must be cheap.
    static func encodeResults(_ urls: [String]) -> String {
        urls.joined(separator: "\n")
    }

    static func decodeResults(_ text: String) -> [String] {
        text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
}
