/// The writer connection inside a group-commit batch; each `write` body runs in its own
/// SAVEPOINT within the batch's BEGIN IMMEDIATE ... COMMIT. Do not issue BEGIN, COMMIT,
/// ROLLBACK or RELEASE yourself, and do not keep it past the body.
public struct Transaction: SQLExecutor {
    public let connection: Connection

    init(connection: Connection) {
        self.connection = connection
    }

    public func prepare(_ sql: String) throws(StoreError) -> Statement {
        try connection.prepare(sql)
    }

    public var lastInsertRowID: Int64 { connection.lastInsertRowID }
    public var changes: Int { connection.changes }
}
