import ArgumentParser
import HTTP1

/// The HTTP/1.1 request parser alone, on one core: a provider callback as it arrives
/// (POST with headers and a JSON body), parsed from bytes to `.end` again and again.
struct ParserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parser", abstract: "HTTP/1.1 request parser: time per typical request.")

    @Option(help: "Requests parsed per round.")
    var iterations = 200_000
    @Option(help: "Rounds; the best is reported (the machine is shared).")
    var rounds = 5

    static let request: [UInt8] = {
        let body = #"{"created":1757156493,"id":"task-unified-1757156493-imcg5zqt","model":"wan2.5-text-to-image","object":"image.generation.task","progress":100,"results":["https://files.evolink.ai/a.png"],"status":"completed","type":"image"}"#
        return Array(("POST /v1/callbacks/2f1d0c8e4b7a6a5f9e3d2c1b0a998877 HTTP/1.1\r\n"
            + "Host: hooks.example.com\r\nUser-Agent: EvoLink-Callback/1.0\r\nContent-Type: application/json\r\n"
            + "Accept: */*\r\nX-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\nX-Real-IP: 203.0.113.9\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n" + body).utf8)
    }()

    func run() throws {
        guard iterations > 0, rounds > 0 else { throw ValidationError("--iterations and --rounds must be positive") }
        let clock = ContinuousClock()
        var best = Double.infinity
        var events = 0
        for _ in 0..<rounds {
            let start = clock.now
            for _ in 0..<iterations {
                var parser = HTTPRequestParser()
                parser.append(contentsOf: Self.request)
                while let event = try parser.next() {
                    events &+= 1
                    if event == .end { break }
                }
            }
            let elapsed = clock.now - start
            let seconds = elapsed.inSeconds
            best = min(best, seconds / Double(iterations))
        }
        guard events >= iterations * rounds * 2 else { throw BenchError.run("the parser did not reach the end of the request") }
        var table = BenchTable(["request", "bytes", "time per request (best of \(rounds))", "requests/s on one core", "load"])
        table.add(["callback POST, 8 headers, JSON body", "\(Self.request.count)",
                   Target.atMost(5e-6, "5 µs").cell(best, BenchFormat.fixed(best * 1e6, 2) + " µs"),
                   BenchFormat.count(1 / best), BenchFormat.loadAverage()])
        print(table.render())
    }
}
