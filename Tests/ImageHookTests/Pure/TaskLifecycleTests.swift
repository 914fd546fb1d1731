import Testing
@testable import ImageHook

@Suite struct TaskLifecycleTests {
    func event(_ s: TaskSnapshot, _ source: TaskEventSource = .callback) -> TaskEvent {
        TaskEvent(source: source, snapshot: s)
    }

    @Test func firstReportIsAppliedAndCompletedEnqueuesDownloadsInOrder() {
        var lc = TaskLifecycle()
        let done = TaskSnapshot(status: .completed, progress: 100, results: ["https://a/1.png", "https://a/2.png"])
        #expect(lc.apply(event(done)) == .applied(done, [.stopPolling, .enqueueDownloads(["https://a/1.png", "https://a/2.png"])]))
        #expect(lc.state == done)
    }

    @Test func sameContentIsDuplicate() {
        var lc = TaskLifecycle()
        let done = TaskSnapshot(status: .completed, progress: 100, results: ["u"])
        _ = lc.apply(event(done))
        #expect(lc.apply(event(done, .poll)) == .duplicate)
    }

    @Test func statusOnlyMovesForward() {
        var lc = TaskLifecycle()
        _ = lc.apply(event(TaskSnapshot(status: .processing, progress: 40), .poll))
        #expect(lc.apply(event(TaskSnapshot(status: .pending))) == .stale)
        #expect(lc.apply(event(TaskSnapshot(status: .processing, progress: 30))) == .stale)
        let more = TaskSnapshot(status: .processing, progress: 60)
        #expect(lc.apply(event(more)) == .applied(more, []))
        #expect(lc.state?.progress == 60)
    }

    @Test func terminalIsFinalAndConflictIsNotApplied() {
        var lc = TaskLifecycle()
        let failed = TaskSnapshot(status: .failed, errorCode: "content_policy_violation", errorMessage: "no")
        #expect(lc.apply(event(failed)) == .applied(failed, [.stopPolling, .scheduleRelay]))
        #expect(lc.apply(event(TaskSnapshot(status: .completed, progress: 100, results: ["u"]))) == .conflict)
        #expect(lc.apply(event(TaskSnapshot(status: .processing, progress: 99))) == .stale)
        #expect(lc.state == failed)
    }

    @Test func completedWithoutResultsRelaysAtOnce() {
        var lc = TaskLifecycle()
        let empty = TaskSnapshot(status: .completed, progress: 100)
        #expect(lc.apply(event(empty)) == .applied(empty, [.stopPolling, .scheduleRelay]))
    }

    @Test func progressNeverDecreasesAcrossStatusChange() {
        var lc = TaskLifecycle(state: TaskSnapshot(status: .pending, progress: 20))
        let outcome = lc.apply(event(TaskSnapshot(status: .processing, progress: 5)))
        #expect(outcome == .applied(TaskSnapshot(status: .processing, progress: 20), []))
    }

    @Test func outOfOrderDeliveryConvergesToSameTerminalState() {
        let reports = [TaskSnapshot(status: .pending), TaskSnapshot(status: .processing, progress: 50),
                       TaskSnapshot(status: .completed, progress: 100, results: ["x"])]
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1]] {
            var lc = TaskLifecycle()
            var applied = 0
            for i in order { if case .applied = lc.apply(event(reports[i])) { applied += 1 } }
            #expect(lc.state == reports[2])
            #expect(applied >= 1)
        }
    }
}
