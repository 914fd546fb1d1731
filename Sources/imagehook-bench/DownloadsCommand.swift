import ArgumentParser
import Foundation

/// Downloads at several worker counts and image sizes. Each size gets its own image
/// server child (distinct PNGs, so nothing deduplicates); each (size, workers) pair runs
/// in a fresh `download-run` child whose peak RSS is that run's alone. This parent only
/// waits for its children, so it blocks on them directly.
struct DownloadsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "downloads", abstract: "Image downloads: throughput and peak RSS by workers and image size.")

    @Option(help: "Comma-separated download worker counts.")
    var workers = "1,4,16"
    @Option(help: "Comma-separated image sizes in bytes.")
    var sizes = "100000,1000000,5000000,20000000"
    @Option(help: "Bytes downloaded per run (images per run = this / size, clamped to 16...400).")
    var bytesPerRun = 64_000_000

    func run() throws {
        let workerCounts = try BenchParse.integers(workers, option: "--workers")
        let imageSizes = try BenchParse.integers(sizes, option: "--sizes")
        var table = BenchTable(["image size", "workers", "images", "images/s", "MB/s", "peak RSS", "failed", "ledger", "load"])
        for size in imageSizes {
            let images = max(16, min(400, bytesPerRun / size))
            let server = try ChildProcess(executable: ChildProcess.selfExecutable,
                                          arguments: ["image-server", "--image-bytes", "\(size)", "--images", "\(images)",
                                                      "--until-stdin-closes"])
            let words = server.readLine()?.split(separator: " ") ?? []
            guard words.count == 4, words[0] == "LISTENING", let port = Int(words[1]), let fileBytes = Int(words[3]) else {
                throw BenchError.setup("image-server did not start")
            }
            for count in workerCounts {
                let load = BenchFormat.loadAverage()
                let result = try Self.runOnce(workers: count, images: images, port: port, size: String(words[2]))
                let seconds = result["seconds"] ?? 1
                let megabytesPerSecond = Double(fileBytes) * Double(images) / seconds / 1_000_000
                let peak = Int(result["rss_peak"] ?? 0)
                let perSecond = Double(images) / seconds
                let targets = DownloadTargets(workers: count, imageBytes: size)
                table.add([BenchFormat.size(size), "\(count)", "\(images)",
                           targets.imagesPerSecond?.cell(perSecond, BenchFormat.fixed(perSecond, 1))
                               ?? BenchFormat.fixed(perSecond, 1),
                           targets.megabytesPerSecond?.cell(megabytesPerSecond, BenchFormat.fixed(megabytesPerSecond, 1))
                               ?? BenchFormat.fixed(megabytesPerSecond, 1),
                           targets.peakRSS.cell(Double(peak), BenchFormat.mb(peak)),
                           "\(Int(result["failed"] ?? 0))", result["balanced"] == 1 ? "balanced" : "NOT BALANCED", load])
                // Progress on stderr: a full matrix takes minutes; stdout is the table alone.
                FileHandle.standardError.write(Data((table.rows[table.rows.count - 1].joined(separator: " | ") + "\n").utf8))
            }
            server.stop()
        }
        print(table.render())
    }

    private static func runOnce(workers: Int, images: Int, port: Int, size: String) throws -> [String: Double] {
        let (status, output) = try ChildProcess.output(
            of: ChildProcess.selfExecutable,
            arguments: ["download-run", "--workers", "\(workers)", "--images", "\(images)",
                        "--origin", "http://127.0.0.1:\(port)", "--size", size])
        guard status == 0, let figures = BenchParse.figures(after: "RESULT", in: output) else {
            throw BenchError.run("download-run exited \(status): \(output)")
        }
        return figures
    }
}
