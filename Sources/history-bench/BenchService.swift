import Foundation
import HTTPClient
import HTTPServer
import ImageHook
import Logging

/// A service on a fresh temp data directory, with stand-in peers, behind real
/// listeners on 127.0.0.1 (ephemeral ports).
final class BenchService: @unchecked Sendable {
    static let token = "bench-token-0123456789abcdef"
    let dir: String
    let service: ImageHookService
    let publicServer: HTTPServer
    let internalServer: HTTPServer
    let client = HTTPClient(configuration: HTTPClientConfiguration(allowPlainHTTP: true, addressPolicy: .trusted,
                                                                   maxIdleConnectionsPerOrigin: 64))

    init(retention: RetentionPolicy = RetentionPolicy(), prepare: (String) async throws -> Void = { _ in }) async throws {
        dir = NSTemporaryDirectory() + "imagehook-history-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        var config = ServiceConfiguration(publicURL: "http://127.0.0.1:1", dataDirectory: dir,
                                          internalTokens: ["bench": Self.token])
        config.downloadWorkers = 1
        config.pollGiveUpAfter = 1
        config.retention = retention
        service = try ImageHookService(configuration: config, logger: logger, provider: NoProvider(),
                                       fetcher: NoFetcher(), relaySender: NoRelay())
        try await prepare(dir)
        publicServer = HTTPServer(name: "public", configuration: HTTPServerConfiguration(),
                                  handler: service.publicHandler, logger: logger)
        try publicServer.start(address: "127.0.0.1:0")
        internalServer = HTTPServer(name: "internal", configuration: HTTPServerConfiguration(),
                                    handler: service.internalHandler, logger: logger)
        try internalServer.start(address: "127.0.0.1:0")
        try await service.start()
    }

    var publicURL: String { "http://127.0.0.1:\(publicServer.boundPort)" }
    var internalURL: String { "http://127.0.0.1:\(internalServer.boundPort)" }

    func stop() async {
        for server in [publicServer, internalServer] {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in server.shutdown(deadline: 2) { c.resume() } }
        }
        await service.shutdown()
        try? FileManager.default.removeItem(atPath: dir)
    }
}
