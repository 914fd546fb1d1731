/// What both a read `Connection` and a write `Transaction` offer; repositories can be
/// written once against `some SQLExecutor`.
public protocol SQLExecutor {
    /// A cached prepared statement, reset and with cleared bindings.
    func prepare(_ sql: String) throws(StoreError) -> Statement
    /// Rowid of the most recent successful INSERT on this connection.
    var lastInsertRowID: Int64 { get }
    /// Rows changed by the most recent INSERT/UPDATE/DELETE on this connection.
    var changes: Int { get }
}

extension SQLExecutor {
    /// Runs one statement to completion; returns the number of rows changed.
    @discardableResult
    public func execute(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws(StoreError) -> Int {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        while try statement.step() {}
        return changes
    }

    @discardableResult
    public func execute(_ sql: String, named arguments: [String: any SQLValueConvertible]) throws(StoreError) -> Int {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(named: arguments)
        while try statement.step() {}
        return changes
    }

    /// All rows of a query, copied out.
    public func query(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws(StoreError) -> [Row] {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        return try collect(statement)
    }

    public func query(_ sql: String, named arguments: [String: any SQLValueConvertible]) throws(StoreError) -> [Row] {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(named: arguments)
        return try collect(statement)
    }

    /// The first row, or nil when the query returns none.
    public func queryOne(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws(StoreError) -> Row? {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        return try statement.step() ? statement.row() : nil
    }

    /// The first column of the first row (NULL when there is no row).
    public func scalar(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws(StoreError) -> SQLValue {
        try queryOne(sql, arguments)?[0] ?? .null
    }

    private func collect(_ statement: Statement) throws(StoreError) -> [Row] {
        var rows: [Row] = []
        let columns = statement.columnNames
        while try statement.step() {
            rows.append(statement.row(columns: columns))
        }
        return rows
    }
}
