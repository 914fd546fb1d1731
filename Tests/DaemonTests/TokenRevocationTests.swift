import Foundation
import HTTP1
import Testing
@testable import Daemon
import TestSupport

/// SIGHUP re-reads internal_tokens_file: a removed token is refused and an added one
/// accepted from the next request on, on the service's routes and the daemon's own
/// operator routes alike, without a restart and without a token reaching the log.
@Suite struct TokenRevocationTests {
    @Test func sighupRevokesRemovedTokensAndAcceptsAddedOnesAtOnce() async throws {
        let dir = TemporaryDirectory()
        let tokenA = String(repeating: "a", count: 40), tokenB = String(repeating: "b", count: 40)
        let tokenC = String(repeating: "c", count: 40)
        let tokens = dir.write("tokens", "alice:\(tokenA)\nbob:\(tokenB)\n")
        let config = dir.write("imagehook.conf", """
        public_listen = 127.0.0.1:0
        internal_listen = 127.0.0.1:0
        data_dir = \(dir.path)/data
        provider_api_key_file = \(dir.write("key", "sk-test"))
        provider_base_url = http://127.0.0.1:1
        public_url = https://hooks.example.com
        internal_tokens_file = \(tokens)
        relay_secret_file = \(dir.write("relay", relaySecretText))
        readyz_min_free_bytes = 0
        shutdown_timeout = 3s
        """, mode: 0o644)
        let daemon = try DaemonProcess(arguments: ["serve", "--config", config], environment: [:], provider: nil)
        let ready = try await daemon.waitForLine(containing: "msg=ready")
        let port = try #require(DaemonProcess.field("internal_port", in: ready))
        func status(_ token: String, _ method: String = "GET", _ path: String = "/v1/tasks") async throws -> Int {
            var headers = HTTPHeaders()
            headers.add(name: "Authorization", value: "Bearer \(token)")
            return try await HTTPProbe.client.execute(
                .init(method: method, url: "http://127.0.0.1:\(port)\(path)", headers: headers)).status
        }
        #expect(try await status(tokenA) == 200)
        #expect(try await status(tokenB) == 200)
        #expect(try await status(tokenC) == 401)

        dir.write("tokens", "alice:\(tokenA)\ncarol:\(tokenC)\n")
        kill(daemon.pid, SIGHUP)
        let reloaded = try await daemon.waitForLine(containing: "msg=\"configuration reloaded\"")
        #expect(reloaded.contains("internal_clients=2"))
        #expect(try await status(tokenB) == 401)
        #expect(try await status(tokenA) == 200)
        #expect(try await status(tokenC) == 200)
        // The daemon's own operator route judges by the same set: an unknown task is a
        // 404 for a valid token, a 401 for the revoked one.
        let retry = "/v1/tasks/task-unified-1-none/retry"
        #expect(try await status(tokenB, "POST", retry) == 401)
        #expect(try await status(tokenC, "POST", retry) == 404)
        #expect(!daemon.stderr.contains("need a restart"))
        #expect(![tokenA, tokenB, tokenC].contains { daemon.stderr.contains($0) })
        #expect(await daemon.signalAndWait(SIGTERM, timeout: 15) == 0)
    }
}
