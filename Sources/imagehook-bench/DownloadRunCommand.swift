import ArgumentParser
import Foundation
import HTTPClient
import ImageHook
import Store

/// One download run in a process of its own, so its peak RSS belongs to that run alone:
/// the service as the daemon wires it (HTTPImageFetcher over the image-download client,
/// verification, the content-addressed store) with `workers` download workers, fetching
/// `images` seeded results from the local image server. Prints one `RESULT` line.
struct DownloadRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download-run", abstract: "One download run (started by `downloads`).", shouldDisplay: false)

    @Option var workers: Int
    @Option var images: Int
    @Option(help: "Image origin, e.g. http://127.0.0.1:PORT")
    var origin: String
    @Option(help: "Requested WxH, which every image must match.")
    var size: String
    @Option(help: "Longest the run may take, seconds.")
    var deadline = 600.0

    func run() async throws {
        // Loopback plain HTTP on any port, allowed only here: the daemon's policy refuses it.
        var client = HTTPClientConfiguration.imageDownload(allowNetworks: [IPNetwork("127.0.0.0/8")!],
                                                           maxBodyBytes: 64 << 20, proxy: .none)
        client.allowPlainHTTP = true
        client.addressPolicy.allowedPorts = nil
        let bench = try BenchService(downloadWorkers: workers, fetcher: HTTPImageFetcher(client: HTTPClient(configuration: client)))
        let service = bench.service
        _ = try await BenchSeed.insert(count: images, status: "completed", size: size,
                                       results: { ["\(origin)/img/\($0).png"] }, into: service,
                                       dataDirectory: bench.directory)
        let base = ProcessMemory.of()
        let clock = ContinuousClock()
        let start = clock.now
        try await service.start()
        var counts: [String: Int] = [:]
        while true {
            counts = try await service.database.read { try DownloadJobRepository.counts(in: $0) }
            let final = (counts["stored"] ?? 0) + (counts["failed"] ?? 0) + (counts["expired"] ?? 0)
            if final >= images { break }
            if clock.now - start > .seconds(deadline) { throw BenchError.run("downloads unfinished after \(deadline) s: \(counts)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        let elapsed = clock.now - start
        let seconds = elapsed.inSeconds
        let memory = ProcessMemory.of()
        let ledger = try await service.ledger()
        await bench.tearDown()
        print("RESULT seconds=\(seconds) stored=\(counts["stored"] ?? 0) failed=\((counts["failed"] ?? 0) + (counts["expired"] ?? 0))"
              + " rss_base=\(base?.rss ?? 0) rss_peak=\(memory?.peak ?? 0) balanced=\(ledger.balanced ? 1 : 0)")
    }
}
