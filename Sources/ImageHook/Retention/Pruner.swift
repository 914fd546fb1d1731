import Foundation
import Store

/// Retention in the background: every `prune_interval` a pass deletes what is older than
/// its retention, one small write at a time through the group-commit writer, then gives
/// the freed pages back (incremental vacuum).
///
/// Rows go before files: a file is unlinked only in a write after the one that removed
/// the last row pointing at it, and only when no `stored` job shares its content, so a
/// crash in between leaves an unreferenced file listed in `image_files` (removed by the
/// next pass), never a row pointing at nothing. The download worker checks, in the write
/// that records a `stored` image, that the file is still there (see `Downloader`).
struct Pruner: Sendable {
    let context: ServiceContext

    func run(isStopped: @escaping @Sendable () -> Bool) async {
        while !isStopped() && !Task.isCancelled {
            // The first pass waits one interval: start-up has recovery work to do first.
            await context.pruneWakeup.wait(seconds: context.retention.withLock { $0.interval })
            if isStopped() || Task.isCancelled { return }
            let policy = context.retention.withLock { $0 }
            let report = await pass(policy: policy, isStopped: isStopped)
            if !report.isEmpty {
                context.logger.info("pruned", metadata: [
                    "journal": "\(report.journalEntries)", "tasks": "\(report.tasks)", "relays": "\(report.relays)",
                    "submissions": "\(report.submissions)", "images_retired": "\(report.imagesRetired)",
                    "files_deleted": "\(report.filesDeleted)", "pages_freed": "\(report.pagesFreed)",
                    "writes": "\(report.writes)",
                ])
            }
        }
    }

    /// One pass over every kind, each until nothing is due. Stops early when asked.
    func pass(policy: RetentionPolicy, isStopped: @escaping @Sendable () -> Bool = { false }) async -> PruneReport {
        var report = PruneReport()
        let now = context.clock.now()
        func cutoff(_ period: Double) -> Double? { period > 0 ? now - period : nil }
        do {
            if let before = cutoff(policy.finishedTasks) {
                try await repeatBatches(&report, policy, isStopped) { tx in
                    let tasks = try RetentionRepository.prunableTasks(before: before, limit: policy.tasksPerBatch, in: tx)
                    var promised = 0
                    for task in tasks {
                        try RetentionRepository.deleteTask(id: task.id, in: tx)
                        if task.status == TaskPhase.completed.rawValue {
                            promised += ReportApplier.decodeResults(task.results).count
                        }
                    }
                    try CounterRepository.add(LedgerCounter.imagesPromisedPruned, promised, in: tx)
                    return tasks.count
                } record: { $0.tasks += $1 }
            }
            if let before = cutoff(policy.journal) {
                try await repeatBatches(&report, policy, isStopped) { tx in
                    try RetentionRepository.pruneJournal(before: before, limit: policy.batchRows, in: tx)
                } record: { $0.journalEntries += $1 }
            }
            if let before = cutoff(policy.relays) {
                try await repeatBatches(&report, policy, isStopped) { tx in
                    try RetentionRepository.pruneRelays(before: before, limit: policy.batchRows, in: tx)
                } record: { $0.relays += $1 }
            }
            if let before = cutoff(policy.idempotency) {
                try await repeatBatches(&report, policy, isStopped) { tx in
                    try RetentionRepository.pruneSubmissions(before: before, limit: policy.batchRows, in: tx)
                } record: { $0.submissions += $1 }
            }
            if let before = cutoff(policy.images) {
                try await repeatBatches(&report, policy, isStopped) { tx in
                    try RetentionRepository.retireImages(before: before, limit: policy.batchRows, now: now, in: tx)
                } record: { $0.imagesRetired += $1 }
                try await repeatBatches(&report, policy, isStopped) { tx in
                    let files = try RetentionRepository.takeUnreferencedFiles(before: before, limit: policy.batchRows, in: tx)
                    // Inside the write, so a download recording the same content as
                    // `stored` either commits first (the file is kept) or sees it gone.
                    for file in files { _ = unlink(file.path) }
                    return files.count
                } record: { $0.filesDeleted += $1 }
            }
            try await repeatBatches(&report, policy, isStopped) { tx in
                let free = try RetentionRepository.freePages(in: tx)
                guard free > 0 else { return 0 }
                try RetentionRepository.incrementalVacuum(pages: policy.vacuumPages, in: tx)
                return free - (try RetentionRepository.freePages(in: tx))
            } record: { $0.pagesFreed += $1 }
        } catch {
            context.logger.warning("pruning pass stopped", metadata: ["error": "\(error)"])
        }
        return report
    }

    /// Runs `batch` in its own pruning write until a write removes nothing, pausing between writes so callbacks get the writer in between.
    private func repeatBatches(_ report: inout PruneReport, _ policy: RetentionPolicy,
                               _ isStopped: @escaping @Sendable () -> Bool,
                               _ batch: @escaping @Sendable (Transaction) throws -> Int,
                               record: (inout PruneReport, Int) -> Void) async throws {
        while !isStopped() && !Task.isCancelled {
            let removed = try await context.database.write { tx in
                try RetentionRepository.whilePruning(tx) { try batch(tx) }
            }
            report.writes += 1
            record(&report, removed)
            if removed == 0 { return }
            if policy.batchPause > 0 { try? await Task.sleep(nanoseconds: UInt64(policy.batchPause * 1e9)) }
        }
    }
}
