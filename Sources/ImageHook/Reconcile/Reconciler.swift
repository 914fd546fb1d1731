import EvoLink
import Store

/// Polls tasks whose callback is overdue (estimated_time + grace), and every unfinished
/// task at start-up, feeding answers through the same apply path as callbacks. The
/// provider retries a callback only within about 8 s, so polling is what turns a lost
/// callback into a delay instead of a lost image (PROVIDER.md, Callbacks).
/// Ambiguous submits are not its business (`AmbiguousResolver` has its own loop).
struct Reconciler: Sendable {
    let context: ServiceContext
    let applier: ReportApplier

    func run(isStopped: @escaping @Sendable () -> Bool) async {
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
}
