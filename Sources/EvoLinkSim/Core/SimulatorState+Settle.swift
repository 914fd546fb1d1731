extension SimulatorState {
    /// The task's terminal moment: count it, refund what was not produced (PROVIDER.md:
    /// pre-charges `n` and bills actual images), and plan its callback.
    mutating func settle(taskID: String, now: Double) -> CallbackPlan? {
        guard var task = tasks[taskID], !task.settled else { return nil }
        task.settled = true
        tasks[taskID] = task
        stats.tasksInFlight -= 1
        let refund: Double
        switch task.outcome {
        case .completed(let produced):
            stats.tasksCompleted += 1
            refund = task.creditsReserved - Double(produced)
        case .failed:
            stats.tasksFailed += 1
            refund = task.creditsReserved
        case .cancelled:
            stats.tasksCancelled += 1
            refund = task.creditsReserved
        }
        spent[task.apiKey, default: 0] -= refund
        stats.creditsCharged -= refund
        guard let url = task.request.callbackURL else { return nil }
        if task.faults.dropCallback {
            stats.callbacksDropped += 1
            return nil
        }
        let at = max(now, task.timeline.terminalAt)
        return CallbackPlan(
            taskID: taskID, url: url,
            body: task.detail(at: at, baseURL: resultBase(for: task)).encoded(),
            initialDelay: configuration.scaled(task.faults.callbackDelay ?? 0),
            duplicate: task.faults.duplicateCallback,
            staleBody: task.faults.staleCallback
                ? task.detail(at: at, baseURL: resultBase(for: task), forcedStatus: .processing).encoded() : nil,
            epoch: epoch)
    }

    /// Ends an unfinished task at `now` with its planned outcome (tests that do not want
    /// to wait), then settles it like `settle`.
    mutating func finishNow(taskID: String, now: Double) -> CallbackPlan? {
        guard var task = tasks[taskID], !task.settled else { return nil }
        if task.timeline.terminalAt > now {
            task.timeline.processingAt = min(task.timeline.processingAt, now)
            task.timeline.terminalAt = now
            tasks[taskID] = task
        }
        return settle(taskID: taskID, now: now)
    }

    /// Books one callback HTTP attempt.
    mutating func recordCallbackAttempt(success: Bool, refused: Bool, kind: CallbackKind, epoch: Int) {
        guard epoch == self.epoch else { return }
        stats.callbacksAttempted += 1
        if success { stats.callbacksDelivered += 1 } else { stats.callbacksFailed += 1 }
        if refused { stats.callbacksRefused += 1 }
        switch kind {
        case .terminal: break
        case .duplicate: stats.callbacksDuplicated += 1
        case .stale: stats.callbacksStale += 1
        }
    }

    mutating func recordCallbackGaveUp(epoch: Int) {
        if epoch == self.epoch { stats.callbacksGivenUp += 1 }
    }
}
