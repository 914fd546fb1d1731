import Dispatch
import Logging
import Support

/// The single writer: one connection, one serial queue. Requests that arrive while a
/// batch is committing wait and then share the next BEGIN IMMEDIATE ... COMMIT, so N
/// concurrent writers pay for far fewer than N fsyncs (WAL + synchronous=FULL syncs the
/// log once per COMMIT).
final class GroupCommitWriter: @unchecked Sendable {
    private struct State {
        /// FIFO of waiting requests: taken from `head` (O(1)), compacted once the
        /// taken prefix is the larger half.
        var pending: [WriteRequest] = []
        var head = 0
        var pendingCount: Int { pending.count - head }
        var draining = false
        var closed = false
        var statistics = WriterStatistics()
    }

    private let connection: Connection   // only used on `queue`
    private let queue: DispatchQueue
    private let state = Locked(State())
    private let maxBatchSize: Int
    private let maxPending: Int
    private let logger: Logger
    private static let queueKey = DispatchSpecificKey<Bool>()
    // Transaction control goes through the statement cache: parsing these on every
    // write would cost the single writer thread more than the statements themselves.
    private static let savepoint = "imagehook_write"
    /// Times an innocent body is run again after SQLite rolled its batch back.
    private static let maxRollbackRetries = 3

    init(connection: Connection, maxBatchSize: Int, maxPending: Int = 10_000, logger: Logger) {
        self.connection = connection
        self.maxBatchSize = max(1, maxBatchSize)
        self.maxPending = max(1, maxPending)
        self.logger = logger
        queue = DispatchQueue(label: "imagehook.store.writer", qos: .userInitiated)
        queue.setSpecific(key: Self.queueKey, value: true)
    }

    var isOnWriterQueue: Bool { DispatchQueue.getSpecific(key: Self.queueKey) == true }

    var statistics: WriterStatistics { state.withLock { $0.statistics } }

    /// Requests waiting for the next batch (tests use it to line up a batch).
    var pendingCount: Int { state.withLock { $0.pendingCount } }

    enum Admission: Equatable {
        case accepted
        case closed
        /// `maxPending` requests already wait: a slow disk must push back on callers
        /// (503 + Retry-After) rather than let them pile up without bound.
        case full
    }

    /// Queues a request unless the writer is closed or its queue is full.
    func submit(_ request: WriteRequest) -> Admission {
        let admission: (Admission, startDrain: Bool) = state.withLock { state in
            guard !state.closed else { return (.closed, false) }
            guard state.pendingCount < maxPending else { return (.full, false) }
            state.pending.append(request)
            guard !state.draining else { return (.accepted, false) }
            state.draining = true
            return (.accepted, true)
        }
        if admission.startDrain { queue.async { self.drain() } }
        return admission.0
    }

    /// Refuses new requests, lets queued ones finish, closes the connection, returns.
    /// From inside a write body it only refuses new requests (it cannot wait for itself).
    func close() {
        state.withLock { $0.closed = true }
        guard !isOnWriterQueue else { return }
        // A drain scheduled before `closed` may still be queued; wait it out.
        repeat {
            queue.sync {}
        } while state.withLock({ $0.draining })
        queue.sync { connection.close() }
    }

    private func drain() {
        while true {
            let batch: [WriteRequest] = state.withLock { state in
                let count = min(state.pendingCount, maxBatchSize)
                let batch = Array(state.pending[state.head..<(state.head + count)])
                state.head += count
                if state.head * 2 >= state.pending.count {
                    state.pending.removeFirst(state.head)
                    state.head = 0
                }
                if batch.isEmpty { state.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            run(batch)
        }
    }

    private func record(_ update: (inout WriterStatistics) -> Void) {
        state.withLock { update(&$0.statistics) }
    }

    /// `attempt` counts how often bodies of this batch were already run into a
    /// transaction that SQLite then rolled back.
    private func run(_ batch: [WriteRequest], attempt: Int = 0) {
        do {
            try connection.execute("BEGIN IMMEDIATE")
        } catch {
            logger.error("store: BEGIN failed", metadata: ["error": "\(error)", "batch": "\(batch.count)"])
            record { $0.failedBatches += 1 }
            batch.forEach { $0.finish(error) }
            return
        }
        let transaction = Transaction(connection: connection)
        var done: [WriteRequest] = []
        var failures = 0
        for (index, request) in batch.enumerated() {
            let outcome = runInSavepoint(request, transaction)
            if connection.isAutocommit {
                // SQLite itself rolled the whole transaction back (it does on SQLITE_FULL
                // and some I/O errors), taking the earlier bodies' work with it. The body
                // that triggered it gets its error; the others are not at fault and run
                // again in a fresh transaction, a bounded number of times.
                let cause = StoreError.unavailable("transaction rolled back by SQLite after a failed write")
                logger.warning("store: batch rolled back by SQLite",
                               metadata: ["batch": "\(batch.count)", "attempt": "\(attempt)"])
                record { $0.failedWrites += failures + 1; $0.failedBatches += 1 }
                switch outcome {
                case .succeeded: request.finish(cause)
                case .failed: request.finish(nil)
                case .aborted(let error): request.finish(error)
                }
                let rest = Array(batch[(index + 1)...])
                if attempt < Self.maxRollbackRetries {
                    if !done.isEmpty || !rest.isEmpty { run(done + rest, attempt: attempt + 1) }
                } else {
                    record { $0.failedWrites += done.count }
                    done.forEach { $0.finish(cause) }
                    if !rest.isEmpty { run(rest, attempt: attempt) }
                }
                return
            }
            switch outcome {
            case .succeeded:
                done.append(request)
            case .failed:
                // A failed body answers at once: nothing of it will be committed.
                failures += 1
                request.finish(nil)
            case .aborted(let error):
                failures += 1
                request.finish(error)
            }
        }
        let commitStart = ContinuousClock.now
        do {
            try connection.execute("COMMIT")
        } catch {
            logger.error("store: COMMIT failed", metadata: ["error": "\(error)", "batch": "\(batch.count)"])
            if !connection.isAutocommit { _ = try? connection.execute("ROLLBACK") }
            record { $0.failedBatches += 1; $0.failedWrites += failures + done.count }
            done.forEach { $0.finish(error) }
            return
        }
        let commitTime = ContinuousClock.now - commitStart
        record {
            $0.commits += 1
            $0.commitSeconds += Double(commitTime.components.seconds) + Double(commitTime.components.attoseconds) * 1e-18
            $0.committedWrites += done.count
            $0.failedWrites += failures
            $0.largestBatch = max($0.largestBatch, batch.count)
        }
        done.forEach { $0.finish(nil) }
    }

    private enum SavepointOutcome {
        case succeeded, failed
        /// The body did not run, or its work was dropped, for a store reason.
        case aborted(StoreError)
    }

    /// Runs one body inside SAVEPOINT; on a throw only that savepoint is rolled back.
    private func runInSavepoint(_ request: WriteRequest, _ transaction: Transaction) -> SavepointOutcome {
        do {
            try connection.execute("SAVEPOINT \(Self.savepoint)")
        } catch {
            return .aborted(error)
        }
        let ok = request.run(transaction)
        connection.resetStatements()
        if connection.isAutocommit { return ok ? .succeeded : .failed }
        var outcome: SavepointOutcome = .failed
        if ok {
            do {
                try connection.execute("RELEASE \(Self.savepoint)")
                return .succeeded
            } catch {
                logger.error("store: RELEASE failed", metadata: ["error": "\(error)"])
                outcome = .aborted(error)
            }
        }
        _ = try? connection.execute("ROLLBACK TO \(Self.savepoint)")
        _ = try? connection.execute("RELEASE \(Self.savepoint)")
        return outcome
    }
}
