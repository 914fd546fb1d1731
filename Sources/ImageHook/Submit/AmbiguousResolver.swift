import Store

/// Retries ambiguous submits nobody is waiting for, with their own key: the provider
/// either replays the task it already has or creates it once. Its own loop with its own
/// bound (`ambiguousResolveConcurrency`), so a provider that hangs on submits cannot
/// stall polling, which is what recovers lost callbacks. Submissions older than
/// `ambiguousGiveUpAge` are given up instead (see `SubmissionState.abandoned`).
struct AmbiguousResolver: Sendable {
    let context: ServiceContext
    let submitter: Submitter

    func run(isStopped: @escaping @Sendable () -> Bool) async {
        while !isStopped() && !Task.isCancelled {
            await resolveOnce(now: context.clock.now())
            await context.submitsWakeup.wait(seconds: min(context.config.schedulerIdle * 10,
                                                          context.config.ambiguousResolveInterval))
        }
    }

    /// One pass: give up what is too old, retry what has rested for an interval,
    /// at most `ambiguousResolveConcurrency` at a time.
    func resolveOnce(now: Double) async {
        let config = context.config
        let pending = (try? await context.database.read { try SubmissionRepository.unresolved(in: $0) }) ?? []
        let ambiguous = pending.filter { $0.state == SubmissionState.ambiguous.rawValue }
        let submitter = self.submitter
        let context = self.context
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for submission in ambiguous {
                let tooOld = now - submission.createdAt >= config.ambiguousGiveUpAge
                guard tooOld || submission.updatedAt <= now - config.ambiguousResolveInterval else { continue }
                let slot = submission.caller + "\u{0}" + submission.idempotencyKey
                // A caller retrying the key right now owns it; leave it to them.
                guard context.submitsInFlight.withLock({ $0.insert(slot).inserted }) else { continue }
                if running >= max(1, config.ambiguousResolveConcurrency) {
                    await group.next()
                    running -= 1
                }
                running += 1
                group.addTask {
                    if tooOld { _ = await submitter.abandon(submission) } else { _ = await submitter.send(submission) }
                    _ = context.submitsInFlight.withLock { $0.remove(slot) }
                }
            }
        }
    }
}
