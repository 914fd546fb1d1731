import Testing
import Store
@testable import ImageHook

@Suite struct LedgerTests {
    /// A history where every promise has its rows.
    static let balancedCounters: [String: Int] = [
        "callback.answered.2xx": 15, "callback.answered.409": 1,
        "journal.callback.applied": 5, "journal.callback.duplicate": 7, "journal.callback.stale": 2,
        "journal.callback.conflict": 1, "journal.callback.mismatch": 1,
        "images.promised": 9, "jobs.stored": 3, "pruned.jobs.stored": 1, "jobs.failed": 1, "jobs.expired": 1,
        "jobs.queued": 2, "jobs.running": 1,
        "relays.owed": 4, "relays.awaiting": 1, "relays.delivered": 1, "pruned.relays.delivered": 1, "relays.given_up": 1,
    ]

    @Test func balancedFromCounters() {
        let l = Ledger(counters: Self.balancedCounters, invalid: 3)
        #expect(l.callbacksReceived == 19)
        #expect(l.callbacksRejected == 7)
        #expect(l.imagesExpected == 9)
        #expect(l.imagesStored == 4)
        #expect(l.imagesInFlight == 3)
        #expect(l.prunedImageJobs == 1)
        #expect(l.problems == [])
        #expect(l.balanced)
    }

    /// A row counter one short of its promise (a row lost without the pruner) breaks
    /// exactly its own balance, and the problem names what is missing.
    @Test(arguments: [
        ("journal.callback.duplicate", "1 callbacks answered 2xx have no callback journal entries"),
        ("journal.callback.mismatch", "1 callbacks answered 409 have no mismatch journal entries"),
        ("jobs.stored", "1 images promised by completed tasks have no download jobs"),
        ("relays.delivered", "1 relays owed by finished tasks have no relay records"),
    ])
    func missingRowIsNamed(counter: String, problem: String) {
        var c = Self.balancedCounters
        c[counter, default: 0] -= 1
        let l = Ledger(counters: c, invalid: 0)
        #expect(!l.balanced)
        #expect(l.problems == [problem])
    }

    @Test func extraRowIsNamed() {
        var c = Self.balancedCounters
        c["jobs.queued", default: 0] += 2
        #expect(Ledger(counters: c, invalid: 0).problems == ["2 more download jobs than images promised by completed tasks"])
    }
}
