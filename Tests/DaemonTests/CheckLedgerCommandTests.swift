import Foundation
import Store
import Testing
import TestSupport
@testable import Daemon

@Suite struct CheckLedgerCommandTests {
    /// A real daemon settles one task; `check-ledger` finds every counter equal to its
    /// recount. Then one counter is corrupted on purpose and it must exit non-zero
    /// naming exactly that counter.
    @Test func recountsFromRowsAndNamesACorruptedCounter() async throws {
        let dir = TemporaryDirectory()
        let daemon = try DaemonProcess(arguments: ["serve"], environment: [
            "IMAGEHOOK_PUBLIC_LISTEN": "127.0.0.1:0", "IMAGEHOOK_INTERNAL_LISTEN": "127.0.0.1:0",
            "IMAGEHOOK_DATA_DIR": dir.path + "/data", "IMAGEHOOK_SIMULATOR_TIME_SCALE": "0.05",
            "IMAGEHOOK_READYZ_MIN_FREE_BYTES": "0", "IMAGEHOOK_SHUTDOWN_TIMEOUT": "3s",
        ])
        let line = try await daemon.waitForLine(containing: "msg=ready")
        let port = try #require(DaemonProcess.field("internal_port", in: line))
        let env = ["IMAGEHOOK_URL": "http://127.0.0.1:\(port)", "IMAGEHOOK_TOKEN_FILE": dir.path + "/data/dev-token"]
        let cli = CLIEndToEndTests()
        let (status, _, err) = await cli.cli(["submit", "a ledger", "--size", "1024x1024", "--n", "2", "--wait",
                                        "--wait-timeout", "60"], environment: env)
        #expect(status == 0, "\(err)")

        // Beside the running daemon: a read-only snapshot.
        let live = await cli.cli(["check-ledger", "--data-dir", dir.path + "/data"], environment: [:])
        #expect(live.0 == 0, "\(live.1)\(live.2)")
        #expect(live.1.contains("ledger balanced"))
        #expect(await daemon.signalAndWait(SIGTERM, timeout: 15) == 0)

        let database = try Database(path: dir.path + "/data/imagehook.sqlite", migrations: SchemaService.migrations)
        try database.writeBlocking { tx in
            try tx.execute("UPDATE counters SET value = value + 1 WHERE name = 'jobs.stored'")
        }
        database.close()
        let (badStatus, badOut, _) = await cli.cli(["check-ledger", "--data-dir", dir.path + "/data"], environment: [:])
        #expect(badStatus == 65)
        let differing = badOut.split(separator: "\n").filter { $0.hasPrefix("counter differs:") }
        #expect(differing == ["counter differs: jobs.stored: counter 3, rows 2"], "\(badOut)")
        #expect(badOut.contains("ledger unbalanced: 1 more download jobs than images promised by completed tasks"))
    }
}
