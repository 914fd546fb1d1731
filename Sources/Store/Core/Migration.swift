/// One schema step. Versions start at 1 and increase by one; `sql` may hold several
/// statements. Applied once, in its own transaction, which also sets `user_version`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let sql: String

    public init(version: Int, sql: String) {
        self.version = version
        self.sql = sql
    }
}
