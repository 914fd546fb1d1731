import Foundation

/// Runs a chaos schedule against a harness: a few concurrent callers submit while a
/// killer SIGKILLs the daemon and restarts it in place.
struct ChaosDriver: Sendable {
    let harness: SystemHarness
    let schedule: ChaosSchedule
    let submitters: Int
    /// How long one logical submit may keep retrying (the daemon is down at times).
    let submitDeadline: Double

    struct KillRecord: Sendable {
        var at: Double
        var restartSeconds: Double
        /// Set when the restarted process was itself killed during start-up.
        var startupKillAfter: Double?

        var summary: String {
            String(format: "%.2fs (restart %.2fs", at, restartSeconds)
                + (startupKillAfter.map { String(format: ", killed again %.3fs into start-up", $0) } ?? "") + ")"
        }
    }

    /// Submits every plan (split round-robin over the submitters) while killing; returns
    /// when both are done.
    func run(start: Date) async throws -> (outcomes: [SubmitOutcome], kills: [KillRecord]) {
        async let kills = killer(start: start)
        let outcomes = await withTaskGroup(of: [SubmitOutcome].self) { group in
            for s in 0..<submitters {
                let mine = schedule.plans.filter { $0.index % submitters == s }
                group.addTask {
                    var results: [SubmitOutcome] = []
                    for plan in mine { results.append(await submit(plan)) }
                    return results
                }
            }
            var all: [SubmitOutcome] = []
            for await part in group { all += part }
            return all.sorted { $0.plan.index < $1.plan.index }
        }
        return (outcomes, try await kills)
    }

    /// A careful caller: same key on every retry; retries transport errors, 409
    /// (in flight), 429 and 5xx; stops at the first 2xx or a definitive refusal.
    func submit(_ plan: SubmitPlan) async -> SubmitOutcome {
        try? await Task.sleep(nanoseconds: UInt64(plan.pauseBefore * 1e9))
        var outcome = SubmitOutcome(plan: plan, taskID: nil, attempts: 0)
        let end = Date().addingTimeInterval(submitDeadline)
        while Date() < end {
            outcome.attempts += 1
            do {
                let (status, body) = try await harness.submit(plan.body, idempotencyKey: plan.idempotencyKey)
                if (200..<300).contains(status) {
                    outcome.taskID = (try? JSONObject(bytes: body))?.string("id")
                    if outcome.taskID == nil { outcome.lastProblem = "2xx without an id: \(String(decoding: body, as: UTF8.self))" }
                    return outcome
                }
                outcome.lastProblem = "\(status) \(String(decoding: body.prefix(300), as: UTF8.self))"
                if status != 409 && status != 429 && status < 500 {
                    outcome.refusedWith = status
                    return outcome
                }
            } catch {
                outcome.lastProblem = "\(error)"
            }
            try? await Task.sleep(nanoseconds: 150_000_000)
        }
        return outcome
    }

    /// SIGKILL at the scheduled moments, each followed by a restart in place; some
    /// restarts are killed again during their own recovery before the final one.
    func killer(start: Date) async throws -> [KillRecord] {
        var records: [KillRecord] = []
        for (delay, startupKill) in zip(schedule.killDelays, schedule.startupKills) {
            try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            let at = Date().timeIntervalSince(start)
            harness.daemon.killHard()
            let restartBegan = Date()
            if let startupKill {
                try harness.daemon.launch()
                try await Task.sleep(nanoseconds: UInt64(startupKill * 1e9))
                harness.daemon.killHard()
            }
            try await harness.daemon.start(harness.http)
            records.append(KillRecord(at: at, restartSeconds: Date().timeIntervalSince(restartBegan),
                                      startupKillAfter: startupKill))
        }
        return records
    }
}
