import Foundation
import HTTPClient
import Testing
import TestSupport

/// The harness itself: a daemon port taken between choosing it and the first start (a
/// parallel test) is replaced, and the TLS front follows the daemon to the new port; and
/// the whole deployment runs unprivileged on 127.0.0.1 ephemeral ports, the result-link
/// port admitted by `download_allowed_ports` and by nothing else.
struct SystemHarnessTests {
    @Test(.timeLimit(.minutes(1)))
    func firstStartMovesOffATakenPort() async throws {
        let harness = try await offPool { try SystemHarness(label: "ports", seed: 1) }
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

    /// Every listener of the deployment is on 127.0.0.1 above the privileged ports (no
    /// root, no /etc/hosts name), and the daemon's link port comes from
    /// `download_allowed_ports`: with only the default web ports allowed, the result link
    /// on the front's port is refused before any connection (nginx never sees a GET).
    @Test(.timeLimit(.minutes(1)))
    func resultLinksNeedTheirPortAllowed() async throws {
        let seed = SystemSeed.fromEnvironment()
        let harness = try await offPool {
            try SystemHarness(label: "link-port", seed: seed, daemonSettings: ["download_allowed_ports": "80,443"])
        }
        defer { harness.shutdown() }
        let front = harness.front
        for port in [front.callbackPort, front.linkPort, front.relayPort, harness.daemon.publicPort, harness.daemon.internalPort] {
            #expect(port >= 1024, "privileged port \(port)")
        }
        #expect(front.callbackBaseURL.hasPrefix("https://127.0.0.1:") && front.linkBaseURL.hasPrefix("https://127.0.0.1:"))
        try await harness.startDaemon()

        let body = #"{"model":"wan2.5-text-to-image","prompt":"link port \#(seed)","size":"768x768","n":1}"#
        let submitted = try await harness.submit(body, idempotencyKey: "link-port-\(seed)")
        try #require(submitted.status == 200, "submit answered \(submitted.status)\n\(harness.diagnostics())")
        let id = try #require(try JSONObject(bytes: submitted.body).string("id"))
        let (views, quiet) = await RecoveryAudit.waitForQuiet(harness, taskIDs: [id], timeout: 30)
        let image = try #require(views[id]?.objects("images").first, "no image job (quiet \(quiet)): \(views[id]?.raw ?? [:])")
        #expect(image.string("state") != "stored", "\(image.raw)")
        let reason = image.string("reason") ?? ""
        #expect(reason.contains("port \(front.linkPort) is not allowed"), "\(image.raw)\n\(harness.diagnostics())")
        #expect(front.loggedURIs(method: "GET", prefix: "/").isEmpty, "the daemon reached the link front anyway")
        // The link itself is fine: fetched as the daemon would with the port allowed.
        let link = try #require(image.string("source_url"))
        let fetched = try await harness.frontHTTP.execute(HTTPClientRequest(url: link))
        #expect(fetched.status == 200 && fetched.body.starts(with: [0x89, 0x50, 0x4E, 0x47]), "GET \(link): \(fetched.status)")
    }
}
