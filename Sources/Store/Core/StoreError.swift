/// Every failure the store reports. Callers map `.unavailable` to 503 + Retry-After:
/// a full disk or a failing device must never become a 2xx or a crash.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database cannot take the operation right now: SQLITE_FULL, SQLITE_IOERR*,
    /// SQLITE_CANTOPEN, SQLITE_READONLY*, SQLITE_BUSY/LOCKED after the busy timeout,
    /// SQLITE_NOMEM, or the database was closed. Retrying later may succeed.
    case unavailable(String)
    /// A UNIQUE, FOREIGN KEY, CHECK or NOT NULL constraint refused the write.
    case constraint(String)
    /// The database file or its WAL is damaged (SQLITE_CORRUPT, SQLITE_NOTADB).
    case corrupt
    /// The caller used the API wrongly: bad SQL, wrong bind index, unknown column,
    /// migrations out of order, a schema newer than this build.
    case misuse(String)
    /// A looked-up row does not exist (raised by repositories, never by the core).
    case notFound

    public var description: String {
        switch self {
        case .unavailable(let reason): "storage unavailable: \(reason)"
        case .constraint(let reason): "constraint violated: \(reason)"
        case .corrupt: "database file is corrupt"
        case .misuse(let reason): "store misuse: \(reason)"
        case .notFound: "not found"
        }
    }

    /// True when a later retry may succeed (answer 503 + Retry-After).
    public var isUnavailable: Bool {
        if case .unavailable = self { return true }
        return false
    }
}
