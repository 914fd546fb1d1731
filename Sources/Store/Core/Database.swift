import Dispatch
import Logging

/// The SQLite store: one writer connection behind a group-commit queue, a pool of
/// read-only connections, WAL journaling with synchronous=FULL so a returned `write`
/// survives power loss, and schema migrations by `PRAGMA user_version`.
public final class Database: Sendable {
    public let path: String
    public let configuration: DatabaseConfiguration
    /// Migration versions applied by this open (empty when the schema was current).
    public let appliedMigrations: [Int]
    private let writer: GroupCommitWriter
    private let readers: ReaderPool

    /// Opens (creating if needed) the database file and brings its schema up to date.
    public init(path: String, migrations: [Migration] = [],
                configuration: DatabaseConfiguration = DatabaseConfiguration(),
                logger: Logger = Logger(label: "imagehook.store")) throws(StoreError) {
        self.path = path
        self.configuration = configuration
        let writerConnection = try Connection(path: path, readOnly: false, configuration: configuration)
        // WAL: readers never block the writer and a COMMIT is one append + fsync of the
        // log. synchronous=FULL: that fsync happens before COMMIT returns (durability).
        let mode = try writerConnection.pragma("PRAGMA journal_mode=WAL").string?.lowercased()
        guard mode == "wal" else {
            throw StoreError.unavailable("cannot enable WAL on \(path) (journal_mode=\(mode ?? "?"))")
        }
        try writerConnection.executeScript("""
            PRAGMA synchronous=FULL;
            PRAGMA foreign_keys=ON;
            PRAGMA wal_autocheckpoint=\(max(0, configuration.walAutoCheckpointPages));
            PRAGMA journal_size_limit=\(max(0, configuration.walSizeLimitBytes));
            """)
        appliedMigrations = try Migrator.apply(migrations, to: writerConnection)
        if !appliedMigrations.isEmpty {
            logger.info("store: migrated", metadata: ["path": "\(path)", "versions": "\(appliedMigrations)"])
        }
        var readerConnections: [Connection] = []
        for _ in 0..<max(1, configuration.readerCount) {
            let reader = try Connection(path: path, readOnly: true, configuration: configuration)
            try reader.executeScript("PRAGMA foreign_keys=ON")
            readerConnections.append(reader)
        }
        writer = GroupCommitWriter(connection: writerConnection, maxBatchSize: configuration.maxBatchSize,
                                   maxPending: configuration.maxPendingWrites,
                                   logger: logger)
        readers = ReaderPool(connections: readerConnections)
    }

    /// Same as `init`, for call sites that read better as a factory.
    public static func open(path: String, migrations: [Migration] = [],
                            configuration: DatabaseConfiguration = DatabaseConfiguration(),
                            logger: Logger = Logger(label: "imagehook.store")) throws(StoreError) -> Database {
        try Database(path: path, migrations: migrations, configuration: configuration, logger: logger)
    }

    /// Stops taking writes, waits for queued ones, and releases readers' waiters. The
    /// connections close when the last reference to the database goes.
    public func close() {
        writer.close()
        readers.close()
    }

    // MARK: writing

    /// Runs `body` in the writer's next group-commit batch, inside its own SAVEPOINT.
    /// Returns only after the batch's COMMIT is durable. A throwing body rolls back
    /// only its own savepoint and gets its own error back unchanged; store failures
    /// (BEGIN/COMMIT, full disk) arrive as `StoreError`. The body runs on the writer
    /// thread, must be quick and must not call `write` itself.
    ///
    /// A body must confine itself to work on the `Transaction` and be safe to run more
    /// than once: when SQLite rolls back the whole batch transaction (it does on
    /// SQLITE_FULL and on some I/O errors), the bodies that did not cause it are run
    /// again in a fresh transaction, and the caller gets the result of the run that
    /// committed. Cancelling the calling task does not withdraw a queued write.
    @discardableResult
    public func write<T: Sendable>(_ body: @escaping @Sendable (Transaction) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let request = WriteRequest.make(body) { continuation.resume(with: $0) }
            switch writer.submit(request) {
            case .accepted: break
            case .closed: continuation.resume(throwing: StoreError.unavailable("database is closed"))
            case .full: continuation.resume(throwing: StoreError.unavailable("write queue is full"))
            }
        }
    }

    /// Blocking `write` for start-up code and tools outside async contexts. Never call
    /// it from inside a `write` body (it would wait for itself).
    @discardableResult
    public func writeBlocking<T: Sendable>(_ body: @escaping @Sendable (Transaction) throws -> T) throws -> T {
        guard !writer.isOnWriterQueue else {
            throw StoreError.misuse("writeBlocking called from inside a write body")
        }
        let semaphore = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        let request = WriteRequest.make(body) { result in
            box.result = result
            semaphore.signal()
        }
        switch writer.submit(request) {
        case .accepted: break
        case .closed: throw StoreError.unavailable("database is closed")
        case .full: throw StoreError.unavailable("write queue is full")
        }
        semaphore.wait()
        return try box.result!.get()
    }

    /// Group-commit counters (commits, writes, largest batch...).
    public var writerStatistics: WriterStatistics { writer.statistics }

    /// Writes queued behind the running batch.
    public var pendingWrites: Int { writer.pendingCount }

    // MARK: reading

    /// Runs `body` on a pooled read-only connection (waiting if all are busy), on the
    /// caller's executor. Each statement sees the data of the last completed COMMIT.
    /// Do not keep the connection or its statements past the body.
    public nonisolated(nonsending) func read<T>(_ body: (Connection) throws -> T) async throws -> T {
        guard let index = await readers.acquire() else {
            throw StoreError.unavailable("database is closed")
        }
        defer { readers.release(index) }
        return try body(readers.connection(index))
    }

    private final class ResultBox<T: Sendable>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }
}
