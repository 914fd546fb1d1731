import Store

extension ServiceContext {
    /// The ledger from the `counters` table (a few dozen rows, whatever the history) plus
    /// the in-memory count of callbacks refused before any write.
    func currentLedger() async throws -> Ledger {
        let invalid = invalidCallbacks.withLock { $0 }
        let counters = try await database.read { try CounterRepository.all(in: $0) }
        return Ledger(counters: counters, invalid: invalid)
    }
}
