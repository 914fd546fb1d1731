/// The service's accounting, checked in every test and exposed at `GET /v1/ledger`.
///
/// Callbacks: received = applied + duplicate + rejected, where `rejected` is every
/// callback that changed nothing and was not a plain duplicate: stale (older than the
/// current state), conflict (a different terminal after a terminal), mismatch (body id
/// differs from the token's task, 409), and invalid (unknown token 404, unparsable body
/// 400, store unavailable 503). Journaled outcomes are counted from the journal rows, so
/// they survive restarts; `invalid` ones are never written (a forged request must not
/// cost a disk write) and count since process start.
///
/// Images: expected = stored + failed + expired + inFlight (queued or running jobs),
/// counted from the download job rows.
public struct Ledger: Sendable, Hashable, Codable {
    public var callbacksReceived = 0
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
    public var relaysDelivered = 0
    public var relaysPending = 0
    public var relaysGivenUp = 0

    public init() {}

    public var callbacksBalanced: Bool {
        callbacksReceived == callbacksApplied + callbacksDuplicate + callbacksRejected
            && callbacksRejected == rejectedStale + rejectedConflict + rejectedMismatch + rejectedInvalid
    }

    public var imagesBalanced: Bool {
        imagesExpected == imagesStored + imagesFailed + imagesExpired + imagesInFlight
    }

    public var balanced: Bool { callbacksBalanced && imagesBalanced }

    /// Fills the callback figures from journal counts per outcome label plus the
    /// in-memory count of requests rejected before journaling.
    public mutating func setCallbacks(journalCounts: [String: Int], invalid: Int) {
        callbacksApplied = journalCounts["applied", default: 0]
        callbacksDuplicate = journalCounts["duplicate", default: 0]
        rejectedStale = journalCounts["stale", default: 0]
        rejectedConflict = journalCounts["conflict", default: 0]
        rejectedMismatch = journalCounts["mismatch", default: 0]
        rejectedInvalid = invalid
        callbacksRejected = rejectedStale + rejectedConflict + rejectedMismatch + rejectedInvalid
        callbacksReceived = journalCounts.values.reduce(0, +) + invalid
    }

    /// Fills the image figures from download job counts per state.
    public mutating func setImages(jobCounts: [String: Int]) {
        imagesStored = jobCounts["stored", default: 0]
        imagesFailed = jobCounts["failed", default: 0]
        imagesExpired = jobCounts["expired", default: 0]
        imagesInFlight = jobCounts["queued", default: 0] + jobCounts["running", default: 0]
        imagesExpected = jobCounts.values.reduce(0, +)
    }
}
