import HTTP1
import Store

/// Delivers final tasks to their submitters' callback_url, signed (Standard Webhooks),
/// retried durably with backoff for at least 24 h. A delivery is claimed with a lease
/// so a crash mid-POST retries it later instead of losing it.
struct Relayer: Sendable {
    let context: ServiceContext

    func run(isStopped: @escaping @Sendable () -> Bool) async {
        while !isStopped() && !Task.isCancelled {
            let now = context.clock.now()
            let config = context.config
            let due = (try? await context.database.write { tx in
                try RelayDeliveryRepository.claimDue(now: now, lease: config.relayLease,
                                                     limit: max(1, config.relayConcurrency), in: tx)
            }) ?? []
            await withTaskGroup(of: Void.self) { group in
                for delivery in due { group.addTask { await deliver(delivery) } }
            }
            if !due.isEmpty { continue }
            let next = (try? await context.database.read { try RelayDeliveryRepository.nextDueAt(in: $0) }) ?? nil
            await context.relayWakeup.wait(seconds: next.map { min(config.schedulerIdle, max(0.001, $0 - context.clock.now())) }
                                           ?? config.schedulerIdle)
        }
    }

    func deliver(_ delivery: RelayDeliveryRecord) async {
        let base = context.config.imageBaseURL
        let found: JSONValue?? = try? await context.database.read({ db -> JSONValue? in
            guard let task = try TaskRepository.find(id: delivery.taskID, in: db) else { return nil }
            return TaskView.build(task: task, jobs: try DownloadJobRepository.jobs(taskID: task.id, in: db), imageBaseURL: base)
        })
        // A failed read keeps the lease: the delivery is picked up again when it lapses.
        guard let found else { return }
        guard let view = found else {
            // The task row is gone (removed by hand, or never written): re-leasing would
            // loop forever, so the delivery ends with the reason.
            await endWithoutTask(delivery)
            return
        }
        let body = view.encoded()
        let now = context.clock.now()
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        if let signer = context.signer {
            for (name, value) in signer.headers(id: delivery.webhookID, timestamp: Int(now), body: body) {
                headers.add(name: name, value: value)
            }
        } else {
            headers.add(name: "webhook-id", value: delivery.webhookID)
            headers.add(name: "webhook-timestamp", value: String(Int(now)))
        }
        let result = await context.relaySender.post(url: delivery.url, headers: headers, body: body)
        var next = delivery
        next.attempts += 1
        next.firstAttemptAt = delivery.firstAttemptAt ?? now
        next.lastStatus = result.status
        next.lastError = result.error
        next.updatedAt = context.clock.now()
        if result.delivered {
            next.state = .delivered
        } else {
            let why = result.error ?? "HTTP \(result.status ?? 0)"
            switch context.config.relayPolicy.decide(attempts: next.attempts, firstAttemptAt: next.firstAttemptAt ?? now,
                                                     now: next.updatedAt, random: context.random, lastError: why) {
            case .retry(let at):
                next.nextAttemptAt = at
            case .givenUp(let reason):
                next.state = .givenUp
                next.lastError = reason
            }
            context.logger.info("relay attempt failed", metadata: ["task": "\(delivery.taskID)", "error": "\(why)"])
        }
        let record = next
        _ = try? await context.database.write { tx in try RelayDeliveryRepository.update(record, in: tx) }
    }

    private func endWithoutTask(_ delivery: RelayDeliveryRecord) async {
        var next = delivery
        next.state = .givenUp
        next.lastError = "task \(delivery.taskID) no longer exists; nothing to relay"
        next.updatedAt = context.clock.now()
        context.logger.warning("relay given up: task missing", metadata: ["task": "\(delivery.taskID)"])
        let record = next
        _ = try? await context.database.write { tx in try RelayDeliveryRepository.update(record, in: tx) }
    }
}
