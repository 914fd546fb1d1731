import EvoLink
import Foundation
import HTTPClient
import HTTPServer
import Logging
import Testing
@testable import ImageHook

/// The service as a separate process, so the crash test can `kill -9` it: the test
/// binary runs itself with `--filter ChildServiceHost` and these variables set.
@Suite struct ChildServiceHost {
    static var env: [String: String] { ProcessInfo.processInfo.environment }

    @Test(.enabled(if: env["IMAGEHOOK_CHILD_DATA"] != nil, "child process of KillNineTests only"))
    func serveUntilKilled() async throws {
        let e = Self.env
        let publicPort = e["IMAGEHOOK_CHILD_PUBLIC_PORT"] ?? "0"
        let internalPort = e["IMAGEHOOK_CHILD_INTERNAL_PORT"] ?? "0"
        var logger = Logger(label: "child")
        logger.logLevel = .critical
        var config = ServiceConfiguration(publicURL: "http://127.0.0.1:\(publicPort)", dataDirectory: e["IMAGEHOOK_CHILD_DATA"]!,
                                          internalTokens: ["tester": Harness.callerToken],
                                          imageBaseURL: "http://127.0.0.1:\(internalPort)",
                                          relaySecret: e["IMAGEHOOK_CHILD_RELAY_SECRET"])
        config.downloadBackoffBase = 0.05
        config.downloadBackoffCap = 0.2
        config.pollGrace = 0.3
        config.pollDefaultEstimate = 1
        config.pollBackoffBase = 0.2
        config.pollBackoffCap = 0.5
        config.relayBackoffBase = 0.05
        config.relayBackoffCap = 0.2
        config.relayLease = 2
        config.submitRetryBase = 0.05
        config.schedulerIdle = 0.1
        config.ambiguousResolveInterval = 0.5
        let trusted = HTTPClientConfiguration(allowPlainHTTP: true, addressPolicy: .trusted, maxIdleConnectionsPerOrigin: 0)
        let evolink = EvoLinkClient(
            configuration: EvoLinkClientConfiguration(baseURL: e["IMAGEHOOK_CHILD_SIM"]!, apiKey: "sim-key", validateBeforeSubmit: false),
            transport: HTTPClient(configuration: trusted), logger: logger)
        let loopback = HTTPClient(configuration: trusted)
        let service = try ImageHookService(configuration: config, logger: logger, provider: EvoLinkProvider(client: evolink),
                                           fetcher: HTTPImageFetcher(client: loopback),
                                           relaySender: HTTPRelaySender(client: loopback))
        try await service.start()
        let pub = HTTPServer(name: "public", configuration: HTTPServerConfiguration(), handler: service.publicHandler, logger: logger)
        try pub.start(address: "127.0.0.1:\(publicPort)")
        let int = HTTPServer(name: "internal", configuration: HTTPServerConfiguration(), handler: service.internalHandler, logger: logger)
        try int.start(address: "127.0.0.1:\(internalPort)")
        FileHandle.standardOutput.write(Data("CHILD READY\n".utf8))
        // Bounded: the parent kills it long before.
        try await Task.sleep(nanoseconds: 120 * 1_000_000_000)
    }
}
