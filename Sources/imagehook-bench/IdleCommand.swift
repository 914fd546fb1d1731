import ArgumentParser
import Foundation

/// Idle keep-alive connections: the server (the HTTP layer in a child process, the
/// one measured) holds N connections that each made one request; its resident set,
/// minus what it was before, divided by N is the cost of an idle connection.
struct IdleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idle", abstract: "Server RSS with many idle keep-alive connections.")

    @Option(help: "Comma-separated connection counts, reached one after the other.")
    var connections = "2000,10000"
    @Option(help: "Seconds to let the server settle before reading its RSS.")
    var settle = 1.0

    func run() throws {
        let counts = try BenchParse.integers(connections, option: "--connections").sorted()
        let most = counts[counts.count - 1]
        ServerLifetime.raiseDescriptorLimit()
        // The idle timeout is raised so no connection times out while the rest are opened.
        let server = try ChildProcess(executable: ChildProcess.selfExecutable,
                                      arguments: ["http-server", "--max-connections", "\(most + 100)",
                                                  "--idle-timeout", "600", "--until-stdin-closes"])
        guard let line = server.readLine(), line.hasPrefix("LISTENING "), let port = Int(line.split(separator: " ")[1]) else {
            throw BenchError.setup("http-server did not start")
        }
        // Baseline after one request, so first-use allocations are not charged to the idle ones.
        let warm = try IdleConnection(port: port)
        warm.close()
        Thread.sleep(forTimeInterval: settle)
        guard let base = ProcessMemory.of(pid: server.pid) else { throw BenchError.run("server gone") }

        var table = BenchTable(["idle connections", "server RSS", "per connection", "all still served", "load"])
        table.add(["0", BenchFormat.mb(base.rss), "–", "–", BenchFormat.loadAverage()])
        var open: [IdleConnection] = []
        defer { for c in open { c.close() } }
        for count in counts {
            while open.count < count { open.append(try IdleConnection(port: port)) }
            Thread.sleep(forTimeInterval: settle)
            guard let memory = ProcessMemory.of(pid: server.pid) else { throw BenchError.run("server gone") }
            // The oldest and the newest connection still get answers: none was dropped.
            let alive = (try? open[0].roundTrip()) != nil && (try? open[open.count - 1].roundTrip()) != nil
            let perConnection = Double(memory.rss - base.rss) / Double(count)
            let targets = IdleTargets(connections: count)
            table.add(["\(count)",
                       targets.rss.cell(Double(memory.rss), BenchFormat.mb(memory.rss)),
                       targets.perConnection.cell(perConnection, BenchFormat.fixed(perConnection / 1024, 1) + " KiB"),
                       alive ? "yes" : "NO", BenchFormat.loadAverage()])
        }
        print(table.render())
        server.stop()
    }
}
