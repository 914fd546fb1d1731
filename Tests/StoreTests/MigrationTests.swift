import Testing
@testable import Store
import TestSupport

@Suite struct MigrationTests {
    let migrations = [
        Migration(version: 1, sql: "CREATE TABLE a(id INTEGER PRIMARY KEY, name TEXT NOT NULL);"),
        Migration(version: 2, sql: "ALTER TABLE a ADD COLUMN note TEXT; CREATE TABLE log(step INTEGER);"
            + "INSERT INTO log VALUES (2);"),
        Migration(version: 3, sql: "INSERT INTO log VALUES (3);"),
    ]

    @Test func appliesInOrderOnceAndSetsUserVersion() async throws {
        let dir = TemporaryDirectory()
        let path = dir.file("db.sqlite")
        do {
            let db = try Database(path: path, migrations: Array(migrations.prefix(2)))
            #expect(db.appliedMigrations == [1, 2])
            db.close()
        }
        let db = try Database(path: path, migrations: migrations)
        #expect(db.appliedMigrations == [3])
        let steps = try await db.read { try $0.query("SELECT step FROM log ORDER BY rowid").map { $0.int(0) } }
        #expect(steps == [2, 3])
        let version = try await db.read { try $0.scalar("PRAGMA user_version").int }
        #expect(version == 3)
        db.close()

        let again = try Database(path: path, migrations: migrations)
        #expect(again.appliedMigrations.isEmpty)
        let count = try await again.read { try $0.scalar("SELECT count(*) FROM log").int }
        #expect(count == 2)
    }

    @Test func failedMigrationLeavesPreviousVersion() async throws {
        let dir = TemporaryDirectory()
        let path = dir.file("db.sqlite")
        let broken = [migrations[0], Migration(version: 2, sql: "CREATE TABLE b(x); THIS IS NOT SQL;")]
        #expect(throws: StoreError.self) { try Database(path: path, migrations: broken) }
        let db = try Database(path: path, migrations: [migrations[0]])
        let version = try await db.read { try $0.scalar("PRAGMA user_version").int }
        #expect(version == 1)
        let tableB = try await db.read { try $0.scalar("SELECT count(*) FROM sqlite_master WHERE name='b'").int }
        #expect(tableB == 0)
    }

    @Test func rejectsMisnumberedMigrationsAndNewerSchema() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("db.sqlite")
        #expect {
            try Database(path: path, migrations: [migrations[1]])
        } throws: { error in
            guard case StoreError.misuse = error else { return false }
            return true
        }
        _ = try Database(path: path, migrations: migrations)
        #expect {
            try Database(path: path, migrations: Array(migrations.prefix(1)))
        } throws: { error in
            guard case StoreError.misuse(let reason) = error else { return false }
            return reason.contains("newer")
        }
    }
}
