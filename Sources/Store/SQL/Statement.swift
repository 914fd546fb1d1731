import CSQLite

/// A prepared statement owned by one connection. Obtain it from `prepare(_:)` inside a
/// `read`/`write` body and do not keep it past that body: the connection belongs to the
/// next caller afterwards. Statements are cached per connection and come back reset
/// with cleared bindings.
public final class Statement {
    let handle: OpaquePointer
    public let sql: String

    init(handle: OpaquePointer, sql: String) {
        self.handle = handle
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    private var db: OpaquePointer? { sqlite3_db_handle(handle) }

    private func check(_ code: Int32, _ context: @autoclosure () -> String) throws(StoreError) {
        guard code == SQLITE_OK else {
            throw StoreError.sqlite(code, db: db, context: context())
        }
    }

    // MARK: binding (indices are 1-based, as in SQLite)

    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    public func bind(_ value: some SQLValueConvertible, at index: Int) throws(StoreError) {
        let i = Int32(index)
        let code: Int32
        switch value.sqlValue {
        case .integer(let v):
            code = sqlite3_bind_int64(handle, i, v)
        case .real(let v):
            code = sqlite3_bind_double(handle, i, v)
        case .text(let v):
            // Explicit byte length so embedded NULs survive; TRANSIENT makes SQLite copy.
            code = v.withCString { cString in
                sqlite3_bind_text64(handle, i, cString, sqlite3_uint64(v.utf8.count),
                                    imagehook_sqlite_transient(), UInt8(SQLITE_UTF8))
            }
        case .blob(let v):
            code = v.isEmpty
                ? sqlite3_bind_zeroblob(handle, i, 0)
                : v.withUnsafeBytes { raw in
                    sqlite3_bind_blob64(handle, i, raw.baseAddress, sqlite3_uint64(raw.count),
                                        imagehook_sqlite_transient())
                }
        case .null:
            code = sqlite3_bind_null(handle, i)
        }
        try check(code, "bind parameter \(index) of \(sql)")
    }

    /// Binds `:name`, `@name` or `$name`; pass the name with its prefix.
    public func bind(_ value: some SQLValueConvertible, named name: String) throws(StoreError) {
        let index = sqlite3_bind_parameter_index(handle, name)
        guard index > 0 else { throw StoreError.misuse("no parameter \(name) in \(sql)") }
        try bind(value, at: Int(index))
    }

    /// Binds positional arguments to parameters 1...n; the count must match.
    public func bind(_ arguments: [any SQLValueConvertible]) throws(StoreError) {
        guard arguments.count == parameterCount else {
            throw StoreError.misuse("\(arguments.count) arguments for \(parameterCount) parameters in \(sql)")
        }
        for (offset, argument) in arguments.enumerated() {
            try bind(argument.sqlValue, at: offset + 1)
        }
    }

    public func bind(named arguments: [String: any SQLValueConvertible]) throws(StoreError) {
        for (name, argument) in arguments {
            try bind(argument.sqlValue, named: name)
        }
    }

    public func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    // MARK: stepping

    /// Advances; true when a row is available, false when done.
    @discardableResult
    public func step() throws(StoreError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw StoreError.sqlite(sqlite3_extended_errcode(db), db: db, context: "step \(sql)")
        }
    }

    /// Ends the current execution so the statement releases its read snapshot.
    public func reset() {
        sqlite3_reset(handle)
    }

    // MARK: columns (0-based)

    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    public func columnName(_ index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? ""
    }

    public func isNull(_ index: Int) -> Bool {
        sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL
    }

    public func value(_ index: Int) -> SQLValue {
        let i = Int32(index)
        switch sqlite3_column_type(handle, i) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, i))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, i))
        case SQLITE_TEXT:
            // Pointer first, then length: that order is what SQLite documents as safe.
            guard let text = sqlite3_column_text(handle, i) else { return .text("") }
            let length = Int(sqlite3_column_bytes(handle, i))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self))
        case SQLITE_BLOB:
            guard let bytes = sqlite3_column_blob(handle, i) else { return .blob([]) }
            let length = Int(sqlite3_column_bytes(handle, i))
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: length)))
        default:
            return .null
        }
    }

    public func int64(_ index: Int) -> Int64? { value(index).int64 }
    public func int(_ index: Int) -> Int? { value(index).int }
    public func double(_ index: Int) -> Double? { value(index).double }
    public func string(_ index: Int) -> String? { value(index).string }
    public func blob(_ index: Int) -> [UInt8]? { value(index).blob }

    public var columnNames: [String] { (0..<columnCount).map(columnName) }

    /// The current row copied out.
    public func row(columns: [String]? = nil) -> Row {
        Row(columns: columns ?? columnNames, values: (0..<columnCount).map(value))
    }
}
