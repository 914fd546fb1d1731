import Foundation
import HTTP1
import HTTPClient
import Testing
@testable import Daemon
import TestSupport

/// The deployment path for real: the provider simulator calls back over HTTPS through
/// nginx (config/nginx/imagehook.conf, test CA) into the daemon's public listener.
@Suite struct NginxEndToEndTests {
    @Test func simulatorCallsBackThroughNginxIntoTheDaemon() async throws {
        let dir = TemporaryDirectory()
        let certs = try TestCertificates(in: dir)
        // nginx's port must be known before the daemon starts (it is the public_url).
        // The daemon binds port 0; nginx gets a port the kernel just reported free.
        let nginxPort = NginxProcess.freePort()
        let daemon = try DaemonProcess(arguments: ["serve"], environment: [
            "IMAGEHOOK_PUBLIC_LISTEN": "127.0.0.1:0", "IMAGEHOOK_INTERNAL_LISTEN": "127.0.0.1:0",
            "IMAGEHOOK_DATA_DIR": dir.path + "/data", "IMAGEHOOK_SIMULATOR_TIME_SCALE": "0.05",
            "IMAGEHOOK_PUBLIC_URL": "https://localhost:\(nginxPort)",
            "IMAGEHOOK_EXTRA_CA_FILE": certs.caCert,
            "IMAGEHOOK_TRUSTED_PROXY_HEADER": "X-Real-IP",
            "IMAGEHOOK_POLL_GRACE": "5m",  // so the task can only complete through the callback
            "IMAGEHOOK_READYZ_MIN_FREE_BYTES": "0", "IMAGEHOOK_SHUTDOWN_TIMEOUT": "3s",
        ])
        let ready = try await daemon.waitForLine(containing: "msg=ready")
        let publicPort = try #require(DaemonProcess.field("public_port", in: ready).flatMap(Int.init))
        let internalPort = try #require(DaemonProcess.field("internal_port", in: ready).flatMap(Int.init))
        let nginx = try NginxProcess(dir: dir, upstreamPort: publicPort, listenPort: nginxPort, certificates: certs)

        let token = try String(contentsOfFile: dir.path + "/data/dev-token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer \(token)")
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Idempotency-Key", value: UUID().uuidString)
        let submit = try await HTTPProbe.client.execute(HTTPClientRequest(
            method: "POST", url: "http://127.0.0.1:\(internalPort)/v1/images/generations", headers: headers,
            body: Array(#"{"model":"wan2.5-text-to-image","prompt":"a harbour at night","size":"1024x1024","n":1}"#.utf8)))
        #expect(submit.status == 200, "\(String(decoding: submit.body, as: UTF8.self))")
        let task = try JSONSerialization.jsonObject(with: Data(submit.body)) as? [String: Any]
        let id = try #require(task?["id"] as? String)

        var auth = HTTPHeaders()
        auth.add(name: "Authorization", value: "Bearer \(token)")
        var final: [String: Any] = [:]
        for _ in 0..<300 {  // at most 30 s
            let answer = try await HTTPProbe.get("http://127.0.0.1:\(internalPort)/v1/tasks/\(id)", headers: auth)
            final = (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]) ?? [:]
            if TaskPrinter.isSettled(final) { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        #expect(final["status"] as? String == "completed", "\(final)\n\(daemon.stderr)")
        let urls = TaskPrinter.storedURLs(final)
        #expect(urls.count == 1)
        for url in urls {
            let name = String(url.split(separator: "/").last ?? "")
            #expect(FileManager.default.fileExists(atPath: dir.path + "/data/images/\(name.prefix(2))/\(name)"), "\(url)")
        }

        // It came through nginx as a callback (not a poll), and nginx logged no token.
        let metrics = try await HTTPProbe.get("http://127.0.0.1:\(internalPort)/metrics").body
        #expect(metrics.contains(#"imagehook_ledger_callbacks_total{outcome="applied"} 1"#), "\(metrics)")
        #expect(metrics.contains("imagehook_ledger_balanced 1"))
        #expect(metrics.contains(#"imagehook_ledger_images{state="stored"} 1"#))
        let storedBytes = metrics.split(separator: "\n").first { $0.hasPrefix("imagehook_downloads_stored_bytes_total ") }
            .flatMap { Double($0.split(separator: " ")[1]) } ?? 0
        #expect(storedBytes > 1000, "stored bytes \(storedBytes)")
        let commitSeconds = metrics.split(separator: "\n").first { $0.hasPrefix("imagehook_store_commit_seconds_total ") }
            .flatMap { Double($0.split(separator: " ")[1]) } ?? 0
        #expect(commitSeconds > 0)
        let accessLog = (try? String(contentsOfFile: nginx.accessLog, encoding: .utf8)) ?? ""
        #expect(accessLog.contains("POST /v1/callbacks/[redacted]\" 200"), "\(accessLog)")
        let callbackLines = daemon.stderr.split(separator: "\n").filter { $0.contains("path=/v1/callbacks/") }
        #expect(!callbackLines.isEmpty)
        #expect(callbackLines.allSatisfy { $0.contains("path=/v1/callbacks/[redacted]") }, "\(callbackLines)")

        // Only the callback path is public; the daemon's other routes are not reachable
        // through the proxy, and the body limit matches the daemon's.
        var tls = HTTPClientConfiguration(extraCAFile: certs.caCert, addressPolicy: .trusted, maxIdleConnectionsPerOrigin: 0)
        tls.timeouts = HTTPClientTimeouts(dns: 5, connect: 5, tls: 5, firstByte: 10, idle: 10, total: 15)
        let viaProxy = HTTPClient(configuration: tls)
        let base = "https://localhost:\(nginxPort)"
        for path in ["/healthz", "/metrics", "/readyz", "/v1/tasks", "/v1/ledger"] {
            let response = try await viaProxy.execute(HTTPClientRequest(method: "GET", url: base + path))
            #expect(response.status == 404, "\(path) answered \(response.status)")
        }
        let get = try await viaProxy.execute(HTTPClientRequest(method: "GET", url: base + "/v1/callbacks/x"))
        #expect(get.status == 403)
        let big = try await viaProxy.execute(HTTPClientRequest(method: "POST", url: base + "/v1/callbacks/x",
                                                               body: [UInt8](repeating: 0x20, count: 300 * 1024)))
        #expect(big.status == 413)
        let unknown = try await viaProxy.execute(HTTPClientRequest(method: "POST", url: base + "/v1/callbacks/unknown-token",
                                                                   body: Array("{}".utf8)))
        #expect(unknown.status == 404, "forged token answered \(unknown.status)")

        _ = await daemon.signalAndWait(SIGTERM, timeout: 15)
    }

    @Test func clientAddressIsBelievedOnlyFromTrustedProxies() {
        let resolver = ClientAddressResolver(header: "X-Real-IP", trustedProxies: [NetworkPrefix("127.0.0.1/32")!])
        #expect(resolver.resolve(peer: "127.0.0.1:50000", headerValues: ["203.0.113.9"]) == "203.0.113.9")
        #expect(resolver.resolve(peer: "198.51.100.7:50000", headerValues: ["203.0.113.9"]) == "198.51.100.7:50000")
        #expect(resolver.resolve(peer: "127.0.0.1:50000", headerValues: ["not-an-ip"]) == "127.0.0.1:50000")
        #expect(resolver.resolve(peer: "127.0.0.1:50000", headerValues: []) == "127.0.0.1:50000")
        let xff = ClientAddressResolver(header: "X-Forwarded-For", trustedProxies: [NetworkPrefix("::1/128")!])
        #expect(xff.resolve(peer: "[::1]:4000", headerValues: ["10.0.0.1, 2001:db8::5"]) == "2001:db8::5")
    }
}
