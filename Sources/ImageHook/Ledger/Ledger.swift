import Store

/// The service's accounting, exposed at `GET /v1/ledger` and on `/metrics`, built from
/// the `counters` table only (constant time, whatever the history).
///
/// Each balance sets a count kept where a decision is made against a count of the rows
/// that decision must have produced, so a lost, deleted or never-written row shows:
///
/// - Callbacks: answered 2xx (counted in the write that decides the answer) = journaled
///   applied + duplicate + stale + conflict; answered 409 = journaled mismatch. Requests
///   refused before any write (unknown token 404, unparsable body 400, store unavailable
///   503) are `invalid`, counted in memory since process start (a forged request must not
///   cost a disk write), and part of `received`.
/// - Images: promised (one per result of each task that became completed, counted when
///   the status changes) = download jobs stored + failed + expired + in flight + removed.
/// - Relays: owed (terminal tasks with a submitter callback_url) = deliveries delivered +
///   pending + given up + tasks still waiting for their images.
///
/// Rows removed by retention count on (as `pruned.*` counters), so pruning keeps every
/// balance; any other removal breaks one, and `problems` names it.
public struct Ledger: Sendable, Hashable, Codable {
    public var callbacksReceived = 0
    public var callbacksAnswered2xx = 0
    public var callbacksAnswered409 = 0
    public var callbacksApplied = 0
    public var callbacksDuplicate = 0
    public var callbacksRejected = 0
    public var rejectedStale = 0
    public var rejectedConflict = 0
    public var rejectedMismatch = 0
    public var rejectedInvalid = 0
    public var pollsApplied = 0
    public var pollsUnchanged = 0
    public var imagesExpected = 0
    public var imagesStored = 0
    public var imagesFailed = 0
    public var imagesExpired = 0
    public var imagesInFlight = 0
    /// Stored, then deleted by image retention (`retention_images`).
    public var imagesRemoved = 0
    public var relaysOwed = 0
    public var relaysAwaitingImages = 0
    public var relaysDelivered = 0
    public var relaysPending = 0
    public var relaysGivenUp = 0
    /// Rows retention removed, by table (they stay counted in the figures above).
    public var prunedJournal = 0
    public var prunedImageJobs = 0
    public var prunedRelays = 0

    public init() {}

    /// From the `counters` table plus the in-memory count of callbacks refused before
    /// any write.
    public init(counters c: [String: Int], invalid: Int) {
        func rows(_ name: String) -> Int { c[name, default: 0] + c[LedgerCounter.pruned(name), default: 0] }
        func journal(_ source: String, _ outcome: String) -> Int {
            rows(LedgerCounter.journal(source: source, outcome: outcome))
        }
        callbacksAnswered2xx = c[LedgerCounter.callbacksAnswered2xx, default: 0]
        callbacksAnswered409 = c[LedgerCounter.callbacksAnswered409, default: 0]
        callbacksApplied = journal("callback", "applied")
        callbacksDuplicate = journal("callback", "duplicate")
        rejectedStale = journal("callback", "stale")
        rejectedConflict = journal("callback", "conflict")
        rejectedMismatch = journal("callback", "mismatch")
        rejectedInvalid = invalid
        callbacksRejected = rejectedStale + rejectedConflict + rejectedMismatch + rejectedInvalid
        callbacksReceived = callbacksAnswered2xx + callbacksAnswered409 + invalid
        pollsApplied = journal("poll", "applied")
        pollsUnchanged = journal("poll", "duplicate") + journal("poll", "stale") + journal("poll", "conflict")

        imagesExpected = c[LedgerCounter.imagesPromised, default: 0]
        imagesStored = rows(LedgerCounter.job("stored"))
        imagesFailed = rows(LedgerCounter.job("failed"))
        imagesExpired = rows(LedgerCounter.job("expired"))
        imagesInFlight = rows(LedgerCounter.job("queued")) + rows(LedgerCounter.job("running"))
        imagesRemoved = rows(LedgerCounter.job("removed"))

        relaysOwed = c[LedgerCounter.relaysOwed, default: 0]
        relaysAwaitingImages = c[LedgerCounter.relaysAwaiting, default: 0]
        relaysDelivered = rows(LedgerCounter.relay("delivered"))
        relaysPending = rows(LedgerCounter.relay("pending"))
        relaysGivenUp = rows(LedgerCounter.relay("given_up"))

        for (name, value) in c where name.hasPrefix("pruned.") {
            if name.hasPrefix("pruned.journal.") { prunedJournal += value }
            if name.hasPrefix("pruned.jobs.") { prunedImageJobs += value }
            if name.hasPrefix("pruned.relays.") { prunedRelays += value }
        }
    }

    /// One balance: a decision-side count against the rows it must have produced.
    struct Balance {
        let promised: Int, promisedLabel: String
        let rows: Int, rowsLabel: String
        var holds: Bool { promised == rows }
        /// "3 callbacks answered 2xx have no journal entries" / "1 more download jobs than ...".
        var problem: String? {
            if holds { return nil }
            return promised > rows ? "\(promised - rows) \(promisedLabel) have no \(rowsLabel)"
                : "\(rows - promised) more \(rowsLabel) than \(promisedLabel)"
        }
    }

    var callbackBalances: [Balance] {
        [Balance(promised: callbacksAnswered2xx, promisedLabel: "callbacks answered 2xx",
                 rows: callbacksApplied + callbacksDuplicate + rejectedStale + rejectedConflict,
                 rowsLabel: "callback journal entries"),
         Balance(promised: callbacksAnswered409, promisedLabel: "callbacks answered 409",
                 rows: rejectedMismatch, rowsLabel: "mismatch journal entries")]
    }

    var imageBalance: Balance {
        Balance(promised: imagesExpected, promisedLabel: "images promised by completed tasks",
                rows: imagesStored + imagesFailed + imagesExpired + imagesInFlight + imagesRemoved,
                rowsLabel: "download jobs")
    }

    var relayBalance: Balance {
        Balance(promised: relaysOwed, promisedLabel: "relays owed by finished tasks",
                rows: relaysDelivered + relaysPending + relaysGivenUp + relaysAwaitingImages,
                rowsLabel: "relay records")
    }

    /// What does not add up, in words an operator can act on; empty when balanced.
    public var problems: [String] {
        (callbackBalances + [imageBalance, relayBalance]).compactMap(\.problem)
    }

    public var callbacksBalanced: Bool { callbackBalances.allSatisfy(\.holds) }
    public var imagesBalanced: Bool { imageBalance.holds }
    public var relaysBalanced: Bool { relayBalance.holds }
    public var balanced: Bool { callbacksBalanced && imagesBalanced && relaysBalanced }
}
