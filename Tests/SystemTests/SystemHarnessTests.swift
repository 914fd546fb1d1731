import Foundation
import HTTPClient
import Testing

/// The harness itself: a daemon port taken between choosing it and the first start (a
/// parallel test) is replaced, and the TLS front follows the daemon to the new port.
struct SystemHarnessTests {
    @Test(.timeLimit(.minutes(1)))
    func firstStartMovesOffATakenPort() async throws {
        let harness = try await Blocking.run { try SystemHarness(label: "ports", seed: 1) }
        defer { harness.shutdown() }
        let taken = harness.daemon.publicPort
        let squatter = try #require(Loopback.listener(port: taken), "cannot hold port \(taken)")
        defer { close(squatter) }
        try await harness.startDaemon()
        #expect(harness.daemon.publicPort != taken)
        // Through the front, a callback with an unknown token reaches the daemon (404),
        // not a dead upstream (502).
        let response = try await harness.frontHTTP.execute(HTTPClientRequest(
            method: "POST", url: harness.front.callbackBaseURL + "/v1/callbacks/AAAAAAAAAAAAAAAAAAAAAA",
            headers: ["Content-Type": "application/json"], body: Array("{}".utf8)))
        #expect(response.status == 404, "\(response.status) \(String(decoding: response.body, as: UTF8.self))")
    }
}
