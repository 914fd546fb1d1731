import ArgumentParser
import Foundation
import Store

/// The store's group commit alone: `writers` concurrent tasks each commit small
/// inserts for `seconds`, once with the writer's normal batching and once with batches
/// of one (a commit, so an fsync, per write). The ratio is what group commit buys; it is
/// what lets every callback wait for its own durable commit.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Group commit alone: durable writes/s with and without batching.")

    @Option(help: "Concurrent writers.")
    var writers = 50
    @Option(help: "Seconds per mode.")
    var seconds = 5.0

    func run() async throws {
        guard writers > 0, seconds > 0 else { throw ValidationError("--writers and --seconds must be positive") }
        let grouped = try await measure(maxBatchSize: DatabaseConfiguration().maxBatchSize)
        let single = try await measure(maxBatchSize: 1)
        let ratio = single.writesPerSecond > 0 ? grouped.writesPerSecond / single.writesPerSecond : 0
        var table = BenchTable(["mode", "writers", "durable writes/s", "writes per commit", "commit (fsync)", "load"])
        table.add(["group commit (batches up to \(DatabaseConfiguration().maxBatchSize))", "\(writers)",
                   Target.atLeast(2_000, "2,000").cell(grouped.writesPerSecond, BenchFormat.count(grouped.writesPerSecond)),
                   BenchFormat.fixed(grouped.writesPerCommit, 1), BenchFormat.ms(grouped.commitMilliseconds), grouped.load])
        table.add(["batch size 1", "\(writers)", BenchFormat.count(single.writesPerSecond),
                   BenchFormat.fixed(single.writesPerCommit, 1), BenchFormat.ms(single.commitMilliseconds), single.load])
        table.add(["gain", "", Target.atLeast(5, "5x").cell(ratio, BenchFormat.fixed(ratio, 1) + "x"), "", "", ""])
        print(table.render())
    }

    struct Run {
        var writesPerSecond: Double
        var writesPerCommit: Double
        var commitMilliseconds: Double
        var load: String
    }

    private func measure(maxBatchSize: Int) async throws -> Run {
        let directory = NSTemporaryDirectory() + "imagehook-bench-store-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try Database(path: directory + "/bench.sqlite",
                                    migrations: [Migration(version: 1, sql: "CREATE TABLE bench (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)")],
                                    configuration: DatabaseConfiguration(maxBatchSize: maxBatchSize),
                                    logger: BenchService.logger)
        defer { database.close() }
        let load = BenchFormat.loadAverage()
        let before = database.writerStatistics
        let clock = ContinuousClock()
        let end = clock.now + .seconds(seconds)
        // About a callback's journal row.
        let payload = [UInt8](repeating: 0x7B, count: 300)
        let writes = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<writers {
                group.addTask {
                    var done = 0
                    while clock.now < end {
                        _ = try await database.write { tx in try tx.execute("INSERT INTO bench (payload) VALUES (?)", [payload]) }
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        let after = database.writerStatistics
        let commits = after.commits - before.commits
        return Run(writesPerSecond: Double(writes) / seconds,
                   writesPerCommit: commits == 0 ? 0 : Double(writes) / Double(commits),
                   commitMilliseconds: commits == 0 ? 0 : (after.commitSeconds - before.commitSeconds) / Double(commits) * 1000,
                   load: load)
    }
}
