import ArgumentParser
import Foundation
import HTTPServer
import ImageHook
import Store

/// Durable callback ingest: `wrk` (a separate process) posts provider callbacks to the
/// public listener on 127.0.0.1 at each connection count. Every 2xx is sent only after
/// its group commit is fsync'd, so fsyncs per second and callbacks per commit are the
/// figures that explain the throughput.
struct CallbacksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callbacks",
        abstract: "Durable callback ingest at several connection counts (wrk).")

    @Option(help: "Comma-separated wrk connection counts, one run each.")
    var connections = "1,50,500"
    @Option(help: "Seconds per run.")
    var seconds = 10
    @Option(help: "Seeded tasks; the first callback to each applies, later ones are duplicates.")
    var tasks = 5000
    @Option(help: "wrk threads.")
    var threads = 2
    @Option(help: "The wrk executable.")
    var wrk = "/usr/bin/wrk"

    func run() async throws {
        let counts = try BenchParse.integers(connections, option: "--connections")
        var table = BenchTable(["connections", "accepted callbacks/s", "p50", "p99", "fsyncs/s (explains the rate)", "callbacks per commit",
                                "commit (fsync)", "non-2xx / errors", "ledger", "load"])
        for count in counts {
            let run = try await measure(connections: count)
            let targets = CallbackTargets(connections: count)
            table.add([
                "\(count)",
                targets.throughput.cell(run.acceptedPerSecond, BenchFormat.count(run.acceptedPerSecond)),
                BenchFormat.ms(run.p50),
                targets.p99.cell(run.p99, BenchFormat.ms(run.p99)),
                BenchFormat.count(run.fsyncsPerSecond),
                targets.perCommit.cell(run.callbacksPerCommit, BenchFormat.fixed(run.callbacksPerCommit, 1)),
                BenchFormat.ms(run.commitMilliseconds),
                "\(run.non2xx) / \(run.socketErrors)",
                run.ledgerBalanced ? "balanced" : "NOT BALANCED",
                run.load,
            ])
        }
        print(table.render())
    }

    struct Run {
        var acceptedPerSecond: Double
        var p50: Double
        var p99: Double
        var fsyncsPerSecond: Double
        var callbacksPerCommit: Double
        var commitMilliseconds: Double
        var non2xx: Int
        var socketErrors: Int
        var ledgerBalanced: Bool
        var load: String
    }

    private func measure(connections: Int) async throws -> Run {
        let bench = try BenchService(downloadWorkers: 1, fetcher: NoFetcher())
        let service = bench.service
        try await service.start()
        let seeded = try await BenchSeed.insert(count: tasks, status: "processing", into: service,
                                                dataDirectory: bench.directory)
        let script = bench.directory + "/callbacks.lua"
        try Self.wrkScript(seeded).write(toFile: script, atomically: true, encoding: .utf8)

        var serverConfig = HTTPServerConfiguration()
        serverConfig.writesAccessLog = false
        serverConfig.maxConnections = max(serverConfig.maxConnections, connections + 64)
        let server = HTTPServer(name: "public", configuration: serverConfig, handler: service.publicHandler,
                                logger: BenchService.logger)
        try server.start(address: "127.0.0.1:0")
        let load = BenchFormat.loadAverage()
        let before = service.database.writerStatistics
        let arguments = ["-t\(min(threads, connections))", "-c\(connections)", "-d\(seconds)s", "--timeout", "10s",
                         "-s", script, "http://127.0.0.1:\(server.boundPort)"]
        let wrkPath = wrk
        // Off the cooperative pool: the service under test answers on it meanwhile.
        let (status, output) = try await OffPool.run { () -> Result<(Int32, String), BenchError> in
            Result { () throws(BenchError) in try ChildProcess.output(of: wrkPath, arguments: arguments) }
        }.get()
        let after = service.database.writerStatistics
        let ledger = try await service.ledger()
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in server.shutdown(deadline: 2) { c.resume() } }
        await bench.tearDown()

        guard status == 0, let figures = BenchParse.figures(after: "BENCH", in: output) else {
            throw BenchError.run("wrk exited \(status): \(output)")
        }
        let duration = figures["seconds"] ?? Double(seconds)
        let commits = after.commits - before.commits
        let commitSeconds = after.commitSeconds - before.commitSeconds
        return Run(acceptedPerSecond: figures["accepted_per_s"] ?? 0, p50: figures["p50_ms"] ?? 0,
                   p99: figures["p99_ms"] ?? 0, fsyncsPerSecond: Double(commits) / duration,
                   // Accepted callbacks, not store writes: background loops commit too
                   // (a completed task wakes the downloader, whose claim is a write).
                   callbacksPerCommit: commits == 0 ? 0 : (figures["accepted_per_s"] ?? 0) * duration / Double(commits),
                   commitMilliseconds: commits == 0 ? 0 : commitSeconds / Double(commits) * 1000,
                   non2xx: Int(figures["non2xx"] ?? 0),
                   socketErrors: Int((figures["connect_err"] ?? 0) + (figures["timeouts"] ?? 0)),
                   ledgerBalanced: ledger.balanced, load: load)
    }

    /// A wrk script posting each seeded task's completion callback to its own token,
    /// tasks picked at random (first one applied, later ones duplicates: every one is
    /// journaled durably before its 2xx).
    static func wrkScript(_ tasks: [BenchSeed.Task]) -> String {
        let now = Int(Date().timeIntervalSince1970)
        var lua = "local tokens = {}\nlocal bodies = {}\n"
        for (i, task) in tasks.enumerated() {
            let body = #"{"created":\#(now),"id":"\#(task.id)","model":"wan2.5-text-to-image","object":"image.generation.task","progress":100,"results":[],"status":"completed","type":"image"}"#
            lua += "tokens[\(i + 1)] = \"\(task.token)\"\nbodies[\(i + 1)] = '\(body)'\n"
        }
        lua += """
            local n = #tokens
            local headers = { ["Content-Type"] = "application/json" }
            request = function()
              local i = math.random(1, n)
              return wrk.format("POST", "/v1/callbacks/" .. tokens[i], headers, bodies[i])
            end
            done = function(summary, latency, requests)
              local s = summary.duration / 1e6
              io.write(string.format("BENCH accepted_per_s=%.0f requests=%d seconds=%.2f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d connect_err=%d timeouts=%d\\n",
                (summary.requests - summary.errors.status) / s, summary.requests, s,
                latency:percentile(50) / 1000, latency:percentile(99) / 1000,
                latency.max / 1000, summary.errors.status, summary.errors.connect, summary.errors.timeout))
            end

            """
        return lua
    }
}
