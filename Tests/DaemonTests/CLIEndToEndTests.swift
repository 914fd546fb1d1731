import Foundation
import Store
import TestSupport
import Testing
@testable import Daemon

@Suite struct CLIEndToEndTests {
    /// Runs the binary as a client (bounded, off the pool) and returns (status, stdout, stderr).
    func cli(_ arguments: [String], environment: [String: String]) async -> (Int32, String, String) {
        let env = ChildProcess.isolatedEnvironment(environment)
        do {
            let run = try await offPool { try ChildProcess.run(DaemonProcess.binaryPath, arguments, environment: env, timeout: 60) }
            return (run.exit.code ?? -1, run.stdout, run.stderr)
        } catch {
            return (-1, "", "\(error)")
        }
    }

    @Test func submitWaitPrintsStoredPathsAndQueriesWork() async throws {
        let dir = TemporaryDirectory()
        let daemon = try DaemonProcess(arguments: ["serve"], environment: [
            "IMAGEHOOK_PUBLIC_LISTEN": "127.0.0.1:0", "IMAGEHOOK_INTERNAL_LISTEN": "127.0.0.1:0",
            "IMAGEHOOK_DATA_DIR": dir.path + "/data", "IMAGEHOOK_SIMULATOR_TIME_SCALE": "0.05",
            "IMAGEHOOK_READYZ_MIN_FREE_BYTES": "0", "IMAGEHOOK_CONFIG": dir.path + "/absent.conf",
        ])
        // An explicitly named configuration file that is missing is refused (the default
        // path may be absent: embedded defaults).
        #expect(await daemon.waitForExit(timeout: 10) == 78)
        let ready = try DaemonProcess(arguments: ["serve"], environment: [
            "IMAGEHOOK_PUBLIC_LISTEN": "127.0.0.1:0", "IMAGEHOOK_INTERNAL_LISTEN": "127.0.0.1:0",
            "IMAGEHOOK_DATA_DIR": dir.path + "/data", "IMAGEHOOK_SIMULATOR_TIME_SCALE": "0.05",
            "IMAGEHOOK_READYZ_MIN_FREE_BYTES": "0", "IMAGEHOOK_SHUTDOWN_TIMEOUT": "3s",
        ])
        let line = try await ready.waitForLine(containing: "msg=ready")
        let port = try #require(DaemonProcess.field("internal_port", in: line))
        let env = ["IMAGEHOOK_URL": "http://127.0.0.1:\(port)", "IMAGEHOOK_TOKEN_FILE": dir.path + "/data/dev-token"]

        let (status, out, err) = await cli(["submit", "a lighthouse at dusk", "--size", "1024x1024", "--n", "2", "--wait",
                                      "--wait-timeout", "60"], environment: env)
        #expect(status == 0, "\(err)")
        // The stored images' URLs on the daemon (never paths on its disk), each served.
        let urls = out.split(separator: "\n").map(String.init)
        #expect(urls.count == 2, "\(out)")
        for url in urls {
            #expect(url.hasPrefix("http://127.0.0.1:\(port)/v1/images/"), "\(url)")
            let name = String(url.split(separator: "/").last ?? "")
            let sha = String(name.prefix(64))
            #expect(FileManager.default.fileExists(atPath: dir.path + "/data/images/\(sha.prefix(2))/\(name)"))
            // Images are scoped like tasks: the CLI's token (the dev token) fetches them.
            let token = dir.read("data/dev-token").trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try await HTTPProbe.get(url, headers: ["Authorization": "Bearer \(token)"]).status == 200)
        }

        let (listStatus, listOut, _) = await cli(["tasks", "--json"], environment: env)
        #expect(listStatus == 0)
        let list = try JSONSerialization.jsonObject(with: Data(listOut.utf8)) as? [String: Any]
        let tasks = list?["data"] as? [[String: Any]] ?? []
        #expect(tasks.count == 1)
        let id = try #require(tasks.first?["id"] as? String)
        let (showStatus, showOut, _) = await cli(["show", id], environment: env)
        #expect(showStatus == 0)
        #expect(showOut.contains("status:    completed"))
        // replay re-sends the journaled callback through the public path: a duplicate now.
        let (replayStatus, replayOut, replayErr) = await cli(["replay", id], environment: env)
        #expect(replayStatus == 0, "\(replayErr)")
        #expect(replayOut.contains("1 callback(s) replayed (statuses 200)"), "\(replayOut)")
        let ledger = try await HTTPProbe.get("http://127.0.0.1:\(port)/metrics").body
        #expect(ledger.contains(#"imagehook_ledger_callbacks_total{outcome="duplicate"} 1"#))
        #expect(ledger.contains("imagehook_ledger_balanced 1"))
        // Once retention has removed a task's journal (done here behind the daemon's back,
        // as retention_journal would after its period), replay answers 410, not 500.
        let database = try Database(path: dir.path + "/data/imagehook.sqlite", migrations: SchemaService.migrations)
        try database.writeBlocking { tx in _ = try tx.execute("DELETE FROM journal WHERE task_id = ?", [id]) }
        database.close()
        let (prunedStatus, prunedOut, prunedErr) = await cli(["replay", id], environment: env)
        #expect(prunedStatus != 0)
        #expect((prunedOut + prunedErr).contains("410") && (prunedOut + prunedErr).contains("journal"),
                "\(prunedOut)\(prunedErr)")
        let (noneStatus, _, noneErr) = await cli(["show", "task-unified-0-none"], environment: env)
        #expect(noneStatus == 2)
        #expect(noneErr.contains("404"))

        let badToken = dir.write("bad-token", String(repeating: "z", count: 40))
        let (authStatus, _, _) = await cli(["tasks"], environment: env.merging(["IMAGEHOOK_TOKEN_FILE": badToken]) { $1 })
        #expect(authStatus == 77)
        let (downStatus, _, downErr) = await cli(["tasks"], environment: env.merging(["IMAGEHOOK_URL": "http://127.0.0.1:1"]) { $1 })
        #expect(downStatus == 69)
        #expect(downErr.contains("cannot reach the daemon"))
        _ = await ready.signalAndWait(SIGTERM, timeout: 30)
    }
}
