import Testing
import ImageHook
@testable import Daemon

@Suite struct RetentionConfigTests {
    /// Periods below the guarantee they protect are refused with their line; 0 (keep
    /// forever) and days are accepted, and map onto the service's policy.
    @Test func retentionKeysAreValidatedAndMapped() {
        let refused = loadLocally("""
            retention_tasks = 1d
            retention_idempotency = 6d
            retention_journal = 12h
            retention_images = 10m
            """)
        let byLine = Dictionary(grouping: refused.problems, by: { $0.line ?? -1 })
        #expect(refused.problems.count == 4, "\(refused.problems)")
        #expect(byLine[1]?.first?.message.contains("at least 604800 s") == true)
        #expect(byLine[1]?.first?.message.contains("late duplicate callback") == true)
        #expect(byLine[2]?.first?.key == "retention_idempotency")
        #expect(byLine[3]?.first?.key == "retention_journal")
        #expect(byLine[4]?.first?.message.contains("at least 3600 s") == true)

        let accepted = loadLocally("""
            retention_tasks = 0
            retention_journal = 8d
            retention_images = 2h
            prune_batch_rows = 200
            """)
        #expect(accepted.problems.isEmpty, "\(accepted.problems)")
        let policy = ServiceWiring.retentionPolicy(accepted.configuration)
        #expect(policy.finishedTasks == 0)
        #expect(policy.journal == 8 * 86_400)
        #expect(policy.images == 7_200)
        #expect(policy.batchRows == 200)
        #expect(policy.idempotency == 30 * 86_400)
        let keys = DaemonConfiguration.keys.filter { $0.name.hasPrefix("retention_") || $0.name.hasPrefix("prune_") }
        #expect(keys.count == 9)
        #expect(keys.allSatisfy { $0.reloadable })
    }

    @Test func callerLimitsParseAndMap() {
        let ok = loadLocally("caller_limits = render-farm=1200/5000, reports=10/0\ncaller_submits_per_minute = 30\n")
        #expect(ok.problems.isEmpty, "\(ok.problems)")
        let limits = ServiceWiring.callerLimits(ok.configuration)
        #expect(limits.limit(for: "render-farm") == CallerLimit(submitsPerMinute: 1200, tasksInFlight: 5000))
        #expect(limits.limit(for: "reports") == CallerLimit(submitsPerMinute: 10, tasksInFlight: 0))
        #expect(limits.limit(for: "other") == CallerLimit(submitsPerMinute: 30, tasksInFlight: 1000))
        let bad = loadLocally("caller_limits = render-farm=fast\n")
        #expect(bad.problems.first?.message.contains("name=submits_per_minute/tasks_in_flight") == true)
    }
}
