import CSQLite

/// One SQLite connection, used by one thread at a time (the store hands it out through
/// `read` or wraps it in a `Transaction` on the writer queue). Not Sendable on purpose.
public final class Connection: SQLExecutor {
    let handle: OpaquePointer
    public let path: String
    public let isReadOnly: Bool
    private var statements: [String: Statement] = [:]
    private let statementCacheCapacity: Int

    init(path: String, readOnly: Bool, configuration: DatabaseConfiguration) throws(StoreError) {
        // Connections move between threads (one at a time), which a library built
        // single-threaded (SQLITE_THREADSAFE=0) does not allow.
        guard sqlite3_threadsafe() != 0 else {
            throw StoreError.misuse("the SQLite library is built without thread support")
        }
        var db: OpaquePointer?
        // NOMUTEX: each connection is confined to one thread at a time by the store.
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let error = StoreError.sqlite(code, db: db, context: "open \(path)")
            sqlite3_close_v2(db)
            throw error
        }
        handle = db
        self.path = path
        isReadOnly = readOnly
        statementCacheCapacity = max(1, configuration.statementCacheCapacity)
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, Int32(clamping: configuration.busyTimeoutMilliseconds))
    }

    private var isClosed = false

    deinit {
        close()
    }

    /// Finalizes cached statements and closes; the store calls it only once no one can
    /// use the connection any more. The last connection to close checkpoints the WAL.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        statements.removeAll()
        // close_v2 defers the close until any statement a caller still holds is finalized.
        sqlite3_close_v2(handle)
    }

    public func prepare(_ sql: String) throws(StoreError) -> Statement {
        if let cached = statements[sql] {
            // A cached statement still mid-iteration belongs to an outer loop of the
            // caller; resetting it would silently restart that loop, so nested use of
            // the same SQL gets its own uncached statement instead.
            if sqlite3_stmt_busy(cached.handle) == 0 {
                cached.reset()
                cached.clearBindings()
                return cached
            }
            return try prepareUncached(sql)
        }
        let statement = try prepareUncached(sql)
        if statements.count >= statementCacheCapacity {
            // Dropping the cache entry is safe even if a caller still holds the statement:
            // it is finalized when the last reference goes.
            statements.remove(at: statements.startIndex)
        }
        statements[sql] = statement
        return statement
    }

    private func prepareUncached(_ sql: String) throws(StoreError) -> Statement {
        var stmt: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard code == SQLITE_OK else {
            throw StoreError.sqlite(code, db: handle, context: "prepare \(sql)")
        }
        guard let stmt else { throw StoreError.misuse("empty SQL: \(sql)") }
        return Statement(handle: stmt, sql: sql)
    }

    /// Runs one or more `;`-separated statements without arguments (DDL, PRAGMAs).
    public func executeScript(_ sql: String) throws(StoreError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard code == SQLITE_OK else {
            throw StoreError.sqlite(sqlite3_extended_errcode(handle), db: handle, context: "exec \(sql.prefix(120))")
        }
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes64(handle)) }
    public var totalChanges: Int { Int(sqlite3_total_changes64(handle)) }

    /// True outside BEGIN...COMMIT; SQLite may flip it back after SQLITE_FULL or an
    /// I/O error, which means it rolled the whole transaction back.
    var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// Resets every statement a body left mid-iteration, so no read snapshot stays
    /// pinned and no savepoint release is blocked by a pending statement.
    func resetStatements() {
        var stmt = sqlite3_next_stmt(handle, nil)
        while let current = stmt {
            if sqlite3_stmt_busy(current) != 0 { sqlite3_reset(current) }
            stmt = sqlite3_next_stmt(handle, current)
        }
    }

    /// A PRAGMA's single result as text (e.g. journal_mode).
    func pragma(_ sql: String) throws(StoreError) -> SQLValue {
        let statement = try prepare(sql)
        defer { statement.reset() }
        return try statement.step() ? statement.value(0) : .null
    }
}
