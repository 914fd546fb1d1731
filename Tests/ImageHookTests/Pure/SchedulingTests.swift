import Testing
@testable import ImageHook

@Suite struct SchedulingTests {
    @Test func backoffCeilingGrowsAndIsCapped() {
        let b = Backoff(base: 1, cap: 60)
        #expect(b.ceiling(attempt: 0) == 1)
        #expect(b.ceiling(attempt: 3) == 8)
        #expect(b.ceiling(attempt: 30) == 60)
        #expect(b.delay(attempt: 3, random: FixedRandomSource(0.5)) == 4)
        #expect(b.delay(attempt: 3, random: FixedRandomSource(0)) == b.floor)
    }

    @Test func retryableFailuresRetryWithinExpiry() {
        let p = DownloadRetryPolicy(backoff: Backoff(base: 10, cap: 1000))
        let d = p.decide(failure: .httpStatus(503), attempts: 1, now: 1000, taskCreated: 0, random: FixedRandomSource(0.5))
        #expect(d == .retry(at: 1005))
    }

    @Test func permanentAnswersFailWithReason() {
        let p = DownloadRetryPolicy()
        for status in [403, 404, 410] {
            let d = p.decide(failure: .httpStatus(status), attempts: 1, now: 0, taskCreated: 0, random: FixedRandomSource(0.5))
            #expect(d == .failed(reason: "image host answered HTTP \(status)"))
        }
        let dims = p.decide(failure: .wrongDimensions("512x512, expected 1024x1024"), attempts: 1, now: 0,
                            taskCreated: 0, random: FixedRandomSource(0.5))
        guard case .failed = dims else { Issue.record("wrong dimensions must fail"); return }
    }

    @Test func corruptRetriesAFewTimesThenFails() {
        let p = DownloadRetryPolicy(maxContentFaultAttempts: 3)
        let r = FixedRandomSource(0.1)
        guard case .retry = p.decide(failure: .corrupt("crc"), attempts: 2, now: 0, taskCreated: 0, random: r) else {
            Issue.record("second corrupt attempt must retry"); return
        }
        guard case .failed = p.decide(failure: .corrupt("crc"), attempts: 3, now: 0, taskCreated: 0, random: r) else {
            Issue.record("third corrupt attempt must fail"); return
        }
    }

    @Test func neverScheduledPastLinkExpiry() {
        let p = DownloadRetryPolicy(backoff: Backoff(base: 100, cap: 1000), linkLifetime: 86_400)
        let d = p.decide(failure: .httpStatus(500), attempts: 5, now: 86_390, taskCreated: 0, random: FixedRandomSource(0.9))
        guard case .expired = d else { Issue.record("expected expired, got \(d)"); return }
        #expect(p.isExpired(now: 86_400, taskCreated: 0))
        #expect(!p.isExpired(now: 86_399, taskCreated: 0))
    }

    @Test func pollScheduleWaitsEstimatePlusGraceThenBacksOff() {
        let s = PollSchedule(grace: 10, defaultEstimate: 30, backoff: Backoff(base: 4, cap: 64, floor: 1), giveUpAfter: 1000)
        #expect(s.firstPoll(submittedAt: 100, estimatedTime: 20) == 130)
        #expect(s.firstPoll(submittedAt: 100, estimatedTime: nil) == 140)
        #expect(s.nextPoll(now: 200, polls: 2, submittedAt: 100, random: FixedRandomSource(0)) == 208)
        #expect(s.nextPoll(now: 200, polls: 20, submittedAt: 100, random: FixedRandomSource(1)) == 264)
        #expect(s.nextPoll(now: 1200, polls: 2, submittedAt: 100, random: FixedRandomSource(0)) == nil)
    }

    @Test func relayRetriesForAtLeastADay() {
        let p = RelayRetryPolicy(backoff: Backoff(base: 2, cap: 3600), retention: 10)
        #expect(p.retention == 86_400)
        #expect(p.decide(attempts: 3, firstAttemptAt: 0, now: 80_000, random: FixedRandomSource(0.5), lastError: "x")
                == .retry(at: 80_004))
        guard case .givenUp = p.decide(attempts: 40, firstAttemptAt: 0, now: 86_000, random: FixedRandomSource(1), lastError: "x") else {
            Issue.record("must give up after retention"); return
        }
    }
}
