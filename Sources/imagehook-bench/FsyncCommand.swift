import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// The disk's fsync latency where the data directory lives: what one group commit
/// costs at least, and so what bounds callbacks per second without batching.
struct FsyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fsync", abstract: "Latency of a 4 KiB write + fsync in a directory.")

    @Option(help: "Directory to write the probe file in.")
    var dir = "/tmp"
    @Option(help: "Write + fsync rounds.")
    var count = 200
    @Flag(help: "One line (`p50 X ms, p99 Y ms`) instead of a table, for the scripts' machine notes.")
    var brief = false

    func run() throws {
        let path = dir + "/imagehook-bench-fsync-\(getpid())"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw BenchError.setup("open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd); unlink(path) }
        let page = [UInt8](repeating: 0x5A, count: 4096)
        let clock = ContinuousClock()
        var samples: [Double] = []
        for i in 0..<max(1, count) {
            let start = clock.now
            let written = page.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(i * 4096)) }
            guard written == page.count, fsync(fd) == 0 else {
                throw BenchError.run("write/fsync: \(String(cString: strerror(errno)))")
            }
            let elapsed = clock.now - start
            samples.append(elapsed.inSeconds * 1000)
        }
        samples.sort()
        let p50 = samples[samples.count / 2]
        let p99 = samples[min(samples.count - 1, samples.count * 99 / 100)]
        let mean = samples.reduce(0, +) / Double(samples.count)
        if brief {
            print("p50 \(BenchFormat.ms(p50)), p99 \(BenchFormat.ms(p99))")
            return
        }
        var table = BenchTable(["fsync (4 KiB write)", "p50", "p99", "mean"])
        table.add([dir, BenchFormat.ms(p50), BenchFormat.ms(p99), BenchFormat.ms(mean)])
        print(table.render())
    }
}
