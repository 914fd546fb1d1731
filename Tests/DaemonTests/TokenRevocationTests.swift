import Foundation
import HTTP1
import Testing
@testable import Daemon

@Suite struct TokenRevocationTests {
    @Test func sighupRevokesRemovedTokensAtOnceAndReportsAddedOnes() async throws {
        let dir = TemporaryDirectory()
        let tokenA = String(repeating: "a", count: 40), tokenB = String(repeating: "b", count: 40)
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
        let daemon = try DaemonProcess(arguments: ["serve", "--config", config], environment: [:])
        let ready = try daemon.waitForLine(containing: "msg=ready")
        let port = try #require(DaemonProcess.field("internal_port", in: ready))
        func status(_ token: String) async throws -> Int {
            var headers = HTTPHeaders()
            headers.add(name: "Authorization", value: "Bearer \(token)")
            return try await HTTPProbe.get("http://127.0.0.1:\(port)/v1/tasks", headers: headers).status
        }
        #expect(try await status(tokenA) == 200)
        #expect(try await status(tokenB) == 200)

        dir.write("tokens", "alice:\(tokenA)\ncarol:\(String(repeating: "c", count: 40))\n")
        kill(daemon.process.processIdentifier, SIGHUP)
        let reloaded = try daemon.waitForLine(containing: "msg=\"configuration reloaded\"")
        #expect(reloaded.contains("revoked_internal_clients=1"))
        #expect(try await status(tokenB) == 401)
        #expect(try await status(tokenA) == 200)
        let restart = try daemon.waitForLine(containing: "need a restart")
        #expect(restart.contains("1 added token(s)"))
        #expect(!daemon.stderr.contains(tokenA) && !daemon.stderr.contains(tokenB))
        #expect(daemon.signalAndWait(SIGTERM, timeout: 15) == 0)
    }
}
