/// Applies migrations by `PRAGMA user_version`: each pending one in its own
/// BEGIN IMMEDIATE ... COMMIT, so a crash leaves the schema at a whole version.
enum Migrator {
    /// Returns the versions applied now (empty when the schema was current).
    static func apply(_ migrations: [Migration], to connection: Connection) throws(StoreError) -> [Int] {
        for (offset, migration) in migrations.enumerated() where migration.version != offset + 1 {
            throw StoreError.misuse("migration #\(offset + 1) has version \(migration.version); versions must be 1, 2, 3, ...")
        }
        let current = try connection.pragma("PRAGMA user_version").int ?? 0
        guard current <= migrations.count else {
            throw StoreError.misuse("database schema version \(current) is newer than this build knows (\(migrations.count))")
        }
        var applied: [Int] = []
        for migration in migrations where migration.version > current {
            try connection.executeScript("BEGIN IMMEDIATE")
            do {
                try connection.executeScript(migration.sql)
                try connection.executeScript("PRAGMA user_version = \(migration.version)")
                try connection.executeScript("COMMIT")
            } catch {
                if !connection.isAutocommit { try? connection.executeScript("ROLLBACK") }
                throw error
            }
            applied.append(migration.version)
        }
        return applied
    }
}
