import ArgumentParser
import Foundation
import ImageHook
import Store

/// `imagehookd check-ledger --config FILE`: recounts every counter that can be
/// recounted from the database rows and compares; also checks the ledger's balances.
/// Exits 65 (EX_DATAERR) naming each counter that differs and each balance that fails.
/// Reads a consistent snapshot on a read-only connection, so it runs beside the daemon.
public struct CheckLedgerCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "check-ledger",
        abstract: "Recount the ledger's counters from the database rows and report any difference."
    )

    @OptionGroup public var options: ConfigOptions

    @Option(help: ArgumentHelp("Data directory (default: data_dir from the configuration).", valueName: "DIR"))
    public var dataDir: String?

    public init() {}

    public func run() throws {
        let directory: String
        if let dataDir {
            directory = dataDir
        } else {
            let result = options.load()
            guard result.isValid else {
                options.report(result.problems)
                throw ExitCode.configError
            }
            directory = result.configuration.dataDir
        }
        let path = directory + "/" + ImageHookService.databaseFile
        guard FileManager.default.fileExists(atPath: path) else {
            Console.error("no database at \(path)")
            throw ExitCode.unavailable
        }
        let audit: (counters: [String: Int], differences: [CounterAudit.Difference])
        do {
            audit = try CounterAudit.run(databasePath: path)
        } catch {
            Console.error("cannot read \(path): \(error)")
            throw ExitCode.unavailable
        }
        // Callbacks refused before any write are not on disk; they cannot be missing.
        let problems = Ledger(counters: audit.counters, invalid: 0).problems
        for difference in audit.differences { Console.out("counter differs: \(difference)") }
        for problem in problems { Console.out("ledger unbalanced: \(problem)") }
        guard audit.differences.isEmpty && problems.isEmpty else { throw ExitCode.dataError }
        Console.out("\(path): ledger balanced; \(audit.counters.count) counters match their rows")
    }
}
