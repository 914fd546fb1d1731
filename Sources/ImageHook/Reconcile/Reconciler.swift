import EvoLink
import Store

/// Polls tasks whose callback is overdue (estimated_time + grace), and every unfinished
/// task at start-up, feeding answers through the same apply path as callbacks. The
/// provider retries a callback only within about 8 s, so polling is what turns a lost
/// callback into a delay instead of a lost image (evolink-api-notes "Callbacks").
/// Also resolves ambiguous submits by retrying them with their stored key.
struct Reconciler: Sendable {
    let context: ServiceContext
    let applier: ReportApplier
    let submitter: Submitter

    func run(isStopped: @escaping @Sendable () -> Bool) async {
        var lastResolve = 0.0
        while !isStopped() && !Task.isCancelled {
            let now = context.clock.now()
            let due = (try? await context.database.read {
                try TaskRepository.duePolls(now: now, limit: max(1, context.config.pollConcurrency) * 4, in: $0)
            }) ?? []
            await withTaskGroup(of: Void.self) { group in
                var running = 0
                for task in due {
                    if running >= max(1, context.config.pollConcurrency) { await group.next(); running -= 1 }
                    group.addTask { await poll(task) }
                    running += 1
                }
            }
            if now - lastResolve >= context.config.ambiguousResolveInterval {
                lastResolve = now
                await resolveAmbiguous(olderThan: now - context.config.ambiguousResolveInterval)
            }
            if !due.isEmpty { continue }
            let next = (try? await context.database.read { try TaskRepository.nextPollAt(in: $0) }) ?? nil
            let idle = context.config.schedulerIdle
            await context.pollsWakeup.wait(seconds: next.map { min(idle, max(0.001, $0 - context.clock.now())) } ?? idle)
        }
    }

    func poll(_ task: TaskRecord) async {
        let schedule = context.config.pollSchedule
        let now = context.clock.now()
        do {
            let (detail, raw) = try await context.provider.task(id: task.id)
            let applier = self.applier
            let random = context.random
            let actions: [TaskAction] = try await context.database.write { tx in
                guard let submission = try SubmissionRepository.find(id: task.submissionID, in: tx) else { return [] }
                let outcome = try applier.apply(detail: detail, raw: raw, source: .poll, submission: submission,
                                                requestedSize: RequestedSize.of(submission.request), now: now, in: tx)
                guard var current = try TaskRepository.find(id: task.id, in: tx) else { return [] }
                if !(TaskPhase(rawValue: current.status)?.isTerminal ?? false) {
                    current.polls += 1
                    current.nextPollAt = schedule.nextPoll(now: now, polls: current.polls,
                                                           submittedAt: current.submittedAt, random: random)
                    try TaskRepository.save(current, in: tx)
                }
                if case .applied(_, let actions) = outcome { return actions }
                return []
            }
            context.wake(for: actions)
        } catch {
            context.logger.info("poll failed", metadata: ["task": "\(task.id)", "error": "\(error)"])
            await reschedule(task, now: now)
        }
    }

    private func reschedule(_ task: TaskRecord, now: Double) async {
        let schedule = context.config.pollSchedule
        let random = context.random
        _ = try? await context.database.write { tx in
            guard var current = try TaskRepository.find(id: task.id, in: tx),
                  !(TaskPhase(rawValue: current.status)?.isTerminal ?? false) else { return }
            current.polls += 1
            current.nextPollAt = schedule.nextPoll(now: now, polls: current.polls, submittedAt: current.submittedAt,
                                                   random: random)
            try TaskRepository.save(current, in: tx)
        }
    }

    /// Retries ambiguous submits nobody is waiting for, with their own key: the
    /// provider either replays the task it already has or creates it once.
    func resolveAmbiguous(olderThan cutoff: Double) async {
        let pending = (try? await context.database.read { try SubmissionRepository.unresolved(in: $0) }) ?? []
        for submission in pending where submission.state == SubmissionState.ambiguous.rawValue && submission.updatedAt <= cutoff {
            let slot = submission.caller + "\u{0}" + submission.idempotencyKey
            guard context.submitsInFlight.withLock({ $0.insert(slot).inserted }) else { continue }
            _ = await submitter.send(submission)
            _ = context.submitsInFlight.withLock { $0.remove(slot) }
        }
    }
}
