import ArgumentParser
import HTTPServer
import ImageStore

/// A local image origin for the download benchmark: `images` distinct, valid PNGs of
/// about `imageBytes` each (stored, not compressed, deflate blocks, so the file is as
/// large as its pixels), served from memory on 127.0.0.1.
struct ImageServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image-server", abstract: "Serve distinct PNGs of a given size (prints LISTENING <port> <WxH>).",
        shouldDisplay: false)

    @Option(help: "Approximate bytes per image.")
    var imageBytes: Int
    @Option(help: "Distinct images, served as /img/0.png ...")
    var images: Int
    @Flag(help: "Exit when stdin reaches end of file.")
    var untilStdinCloses = false

    /// The square RGB picture whose uncompressed PNG is about `bytes` long.
    static func side(forBytes bytes: Int) -> Int { max(8, Int((Double(bytes) / 3).squareRoot())) }

    func run() throws {
        let side = Self.side(forBytes: imageBytes)
        let pngs = (0..<images).map { i in
            PNGEncoder.encode(width: side, height: side, rgb: PNGEncoder.pattern(width: side, height: side, seed: UInt32(i)),
                              compressionLevel: 0)
        }
        var config = HTTPServerConfiguration()
        config.writesAccessLog = false
        let server = HTTPServer(name: "images", configuration: config, handler: ImageServerHandler(images: pngs),
                                logger: BenchService.logger)
        try server.start(address: "127.0.0.1:0")
        ServerLifetime.announce(port: server.boundPort, extra: "\(side)x\(side) \(pngs.first?.count ?? 0)")
        ServerLifetime.serve(untilStdinCloses: untilStdinCloses)
    }
}
