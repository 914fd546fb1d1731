import Store

extension ServiceContext {
    /// The ledger from the rows (journal, jobs, deliveries) plus the in-memory count of
    /// callbacks rejected before journaling.
    func currentLedger() async throws -> Ledger {
        let invalid = invalidCallbacks.withLock { $0 }
        return try await database.read { db in
            var l = Ledger()
            l.setCallbacks(journalCounts: try JournalRepository.counts(source: TaskEventSource.callback.rawValue, in: db),
                           invalid: invalid)
            let polls = try JournalRepository.counts(source: TaskEventSource.poll.rawValue, in: db)
            l.pollsApplied = polls["applied", default: 0]
            l.pollsUnchanged = polls.values.reduce(0, +) - l.pollsApplied
            l.setImages(jobCounts: try DownloadJobRepository.counts(in: db))
            let relays = try RelayDeliveryRepository.counts(in: db)
            l.relaysDelivered = relays["delivered", default: 0]
            l.relaysPending = relays["pending", default: 0]
            l.relaysGivenUp = relays["given_up", default: 0]
            return l
        }
    }
}
