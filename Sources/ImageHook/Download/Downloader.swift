import Dispatch
import Logging
import Store
import Support

/// The bounded worker pool that turns download jobs into verified files.
///
/// Jobs come from the store (`queued` and due), are marked `running` in the same
/// commit that claims them, and end `stored`, `failed` or `expired` with a reason, or go
/// back to `queued` with the next attempt time. `running` jobs found at start-up were
/// interrupted by a crash and are re-queued; their temp files were never committed.
struct Downloader: Sendable {
    let context: ServiceContext
    /// Serial queues of our own for blocking verification work, one per download worker.
    /// Not `DispatchQueue.global()`: on Linux the global queues are only as wide as the
    /// cores, like the cooperative pool, so blocking work there stalls everyone else's;
    /// a serial queue gets a thread of its own.
    private let verifyQueues: [DispatchQueue]
    private let nextVerifyQueue = Locked(0)

    init(context: ServiceContext) {
        self.context = context
        verifyQueues = (0..<max(1, context.config.downloadWorkers)).map {
            DispatchQueue(label: "imagehook.download.verify.\($0)", qos: .utility)
        }
    }

    /// One worker loop; `workers` of them run concurrently.
    func run(isStopped: @escaping @Sendable () -> Bool) async {
        while !isStopped() && !Task.isCancelled {
            let claimed: [DownloadJobRecord]
            let now = context.clock.now()
            let lease = context.config.downloadLease
            do {
                claimed = try await context.database.write { tx in
                    try DownloadJobRepository.claimDue(now: now, lease: lease, limit: 1, in: tx)
                }
            } catch {
                context.logger.warning("download claim failed", metadata: ["error": "\(error)"])
                await context.downloadsWakeup.wait(seconds: context.config.schedulerIdle)
                continue
            }
            guard let job = claimed.first else {
                let next = (try? await context.database.read { try DownloadJobRepository.nextDueAt(in: $0) }) ?? nil
                let idle = context.config.schedulerIdle
                let wait = next.map { min(idle, max(0.001, $0 - context.clock.now())) } ?? idle
                await context.downloadsWakeup.wait(seconds: wait)
                continue
            }
            await process(job)
            // Another worker may be asleep while more jobs are due: wake one, which
            // wakes the next if it finds work (not the whole pool for every job).
            context.downloadsWakeup.signal(waking: 1)
        }
    }

    func process(_ job: DownloadJobRecord) async {
        let task: TaskRecord? = (try? await context.database.read { try TaskRepository.find(id: job.taskID, in: $0) }) ?? nil
        let created = Double(task?.created ?? 0)
        let policy = context.config.downloadPolicy
        let now = context.clock.now()
        var next = job
        next.attempts += 1
        next.updatedAt = now
        if policy.isExpired(now: now, taskCreated: created) {
            next.state = .expired
            next.reason = "link expired 24 h after task creation before the download could finish"
            await finish(next)
            return
        }
        let size = RequestedSize.parse(task?.size)
        do throws(DownloadFailure) {
            let stored = try await attempt(job.url, width: context.config.verifyDimensions ? size?.width : nil,
                                           height: context.config.verifyDimensions ? size?.height : nil)
            next.state = .stored
            next.sha256 = stored.sha256
            next.ext = stored.ext
            next.bytes = stored.bytes
            next.path = stored.path
            next.reason = nil
        } catch {
            // Shutting down: leave the job `running`; the next start re-queues it.
            if Task.isCancelled { return }
            let decision = policy.decide(failure: error, attempts: next.attempts, now: context.clock.now(),
                                         taskCreated: created, random: context.random)
            switch decision {
            case .retry(let at):
                next.state = .queued
                next.nextAttemptAt = at
                next.reason = error.description
            case .failed(let reason):
                next.state = .failed
                next.reason = reason
            case .expired(let reason):
                next.state = .expired
                next.reason = reason
            }
            context.logger.info("download attempt failed",
                                metadata: ["task": "\(job.taskID)", "index": "\(job.index)",
                                           "attempt": "\(next.attempts)", "error": "\(error)",
                                           "next": "\(next.state.rawValue)"])
        }
        await finish(next)
    }

    /// One attempt: stream into a temp file while hashing, check the response, verify,
    /// commit. Any failure discards the temp file.
    private func attempt(_ url: String, width: Int?, height: Int?) async throws(DownloadFailure) -> SavedImage {
        let upload = try context.images.begin()
        do throws(DownloadFailure) {
            let head = try await context.fetcher.fetch(url: url, into: upload)
            guard (200...299).contains(head.status) else { throw DownloadFailure.httpStatus(head.status) }
            // RFC 9110 §8.6: a body shorter than its Content-Length is incomplete.
            if let expected = head.contentLength, expected != upload.bytesWritten {
                throw DownloadFailure.truncated
            }
            do throws(DownloadFailure) {
                return try await offload { () throws(DownloadFailure) in
                    try upload.finish(contentType: head.contentType, expectedWidth: width, expectedHeight: height)
                }
            } catch .corrupt where head.endUnconfirmed {
                // RFC 9112 §6.3: a close-delimited body cut without close_notify may be
                // cut anywhere. Every format we store is self-delimiting (PNG IEND and
                // chunk CRCs, JPEG EOI last, WebP RIFF length), so a body that verifies
                // is whole; one that does not is taken as truncated and fetched again.
                throw DownloadFailure.truncated
            }
        } catch {
            upload.discard()
            throw error
        }
    }

    /// One line per image reaching its final state, written only after that state is
    /// durable, so the log never claims an image the store does not have.
    private func logFinal(_ job: DownloadJobRecord) {
        var metadata: Logger.Metadata = ["task": "\(job.taskID)", "index": "\(job.index)",
                                         "attempts": "\(job.attempts)"]
        if job.state == .stored {
            metadata["sha256"] = "\(job.sha256 ?? "")"
            metadata["bytes"] = "\(job.bytes ?? 0)"
            metadata["path"] = "\(job.path ?? "")"
            context.logger.info("image stored", metadata: metadata)
        } else {
            metadata["reason"] = "\(job.reason ?? "")"
            context.logger.warning("image \(job.state.rawValue)", metadata: metadata)
        }
    }

    /// Records the job's new state; a final state may make the task ready to relay.
    private func finish(_ job: DownloadJobRecord) async {
        let now = context.clock.now()
        do {
            try await context.database.write { tx in
                try DownloadJobRepository.update(job, in: tx)
                if job.state.isFinal {
                    try ReportApplier.enqueueRelayIfReady(taskID: job.taskID, submission: nil, now: now, in: tx)
                }
            }
            if job.state.isFinal {
                context.relayWakeup.signal()
                logFinal(job)
            }
        } catch {
            // Left `running`: re-queued at the next start-up. Meanwhile retry soon.
            context.logger.error("download state not recorded", metadata: ["task": "\(job.taskID)", "error": "\(error)"])
        }
    }

    /// Verification (full IDAT inflate) and commit (fsyncs) block for milliseconds to
    /// seconds; they run on one of our own serial queues (round robin) so the few
    /// cooperative threads keep answering callbacks meanwhile.
    private func offload<T: Sendable>(_ body: @escaping @Sendable () throws(DownloadFailure) -> T) async throws(DownloadFailure) -> T {
        let queue = nextVerifyQueue.withLock { next in
            defer { next = (next + 1) % verifyQueues.count }
            return verifyQueues[next]
        }
        let result: Result<T, DownloadFailure> = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Result { () throws(DownloadFailure) in try body() })
            }
        }
        return try result.get()
    }
}
