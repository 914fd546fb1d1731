import CSQLite

extension StoreError {
    /// Maps an SQLite result code (extended or primary) to a store error; the message
    /// carries SQLite's own text so logs say what happened.
    static func sqlite(_ code: Int32, db: OpaquePointer?, context: String) -> StoreError {
        let primary = code & 0xFF
        let detail: String
        if let db, let message = sqlite3_errmsg(db) {
            detail = String(cString: message)
        } else {
            detail = String(cString: sqlite3_errstr(code))
        }
        let reason = "\(context): \(detail) (code \(code))"
        switch primary {
        case SQLITE_FULL, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_BUSY,
             SQLITE_LOCKED, SQLITE_NOMEM, SQLITE_PROTOCOL, SQLITE_INTERRUPT, SQLITE_NOLFS:
            return .unavailable(reason)
        case SQLITE_CONSTRAINT:
            return .constraint(reason)
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            return .corrupt
        default:
            return .misuse(reason)
        }
    }
}
