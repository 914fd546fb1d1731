import EvoLink
import EvoLinkSim
import Foundation
import TestSupport
import Testing

/// Callbacks over HTTPS, as the provider sends them, to a real TLS peer: nginx on
/// 127.0.0.1 with a certificate from a throwaway CA made by `openssl` in a temp dir.
struct HTTPSCallbackTests {
    /// A running nginx that answers `POST /cb` with 204 over TLS and logs each request.
    struct TLSReceiver {
        let dir: URL
        let port: Int
        let child: ChildProcess

        var url: String { "https://127.0.0.1:\(port)/cb/secret" }
        var caFile: String { dir.appendingPathComponent("ca.pem").path }
        var accessLog: String {
            (try? String(contentsOf: dir.appendingPathComponent("access.log"), encoding: .utf8)) ?? ""
        }

        static func run(_ tool: String, _ args: [String], in dir: URL) throws {
            try ChildProcess.run(tool, args, directory: dir.path, timeout: 60).requireSuccess()
        }

        /// The CA, a server certificate for 127.0.0.1 signed by it, and their keys.
        /// P-256 keys: generated in milliseconds, where RSA-2048 takes seconds of a
        /// loaded CPU. Blocking; runs off the cooperative pool.
        static func makeCertificates(in dir: URL) throws {
            let ssl = "/usr/bin/openssl"
            let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
            try run(ssl, ["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem",
                          "-days", "1", "-subj", "/CN=evolink test CA"], in: dir)
            try run(ssl, ["req"] + ec + ["-keyout", "server.key", "-out", "server.csr",
                          "-subj", "/CN=127.0.0.1"], in: dir)
            try Data("subjectAltName=IP:127.0.0.1\n".utf8).write(to: dir.appendingPathComponent("san.ext"))
            try run(ssl, ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                          "-out", "server.pem", "-days", "1", "-extfile", "san.ext"], in: dir)
        }

        /// A port the kernel just handed out and released: nginx cannot report the
        /// port it bound for :0, so it gets one that was free a moment ago.
        static func freePort() throws -> Int {
            let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(s) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &addr) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, len) == 0 && getsockname(s, $0, &len) == 0 }
            }
            guard ok else { throw SimTestError.timeout("no free port") }
            return Int(UInt16(bigEndian: addr.sin_port))
        }

        static func start() async throws -> TLSReceiver {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evolink-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try await offPool { try makeCertificates(in: dir) }
            let port = try freePort()
            let conf = """
            worker_processes 1;
            pid \(dir.path)/nginx.pid;
            error_log \(dir.path)/error.log;
            events { worker_connections 64; }
            http {
                access_log \(dir.path)/access.log;
                client_body_temp_path \(dir.path)/body;
                proxy_temp_path \(dir.path)/proxy;
                fastcgi_temp_path \(dir.path)/fastcgi;
                uwsgi_temp_path \(dir.path)/uwsgi;
                scgi_temp_path \(dir.path)/scgi;
                server {
                    listen 127.0.0.1:\(port) ssl;
                    ssl_certificate \(dir.path)/server.pem;
                    ssl_certificate_key \(dir.path)/server.key;
                    location /cb/ { return 204; }
                }
            }
            """
            try Data(conf.utf8).write(to: dir.appendingPathComponent("nginx.conf"))
            let p = try ChildProcess("/usr/sbin/nginx",
                                     ["-p", dir.path, "-c", dir.appendingPathComponent("nginx.conf").path, "-g", "daemon off;"],
                                     stdout: .discard, stderr: .discard, name: "nginx")
            let receiver = TLSReceiver(dir: dir, port: port, child: p)
            let up = await eventually {
                FileManager.default.fileExists(atPath: dir.appendingPathComponent("nginx.pid").path) || !p.isRunning
            }
            guard up, p.isRunning else {
                receiver.stop()
                throw SimTestError.timeout("nginx did not start")
            }
            return receiver
        }

        /// Never blocks the caller (a cooperative thread): an OS thread of its own stops
        /// nginx (SIGTERM, bounded, then SIGKILL) and removes the directory.
        func stop() {
            let (child, dir) = (self.child, self.dir)
            OSThread.start {
                child.stop(signal: SIGTERM, grace: 1)
                try? FileManager.default.removeItem(at: dir)
            }
        }
    }

    @Test func deliversOverHTTPSWithATrustedCA() async throws {
        let receiver = try await TLSReceiver.start()
        defer { receiver.stop() }
        let h = try SimHarness(configure: { $0.callbackCAFile = receiver.caFile })
        _ = try await h.client.submit(GenerationRequest(prompt: "tls fox", callbackURL: receiver.url), idempotencyKey: nil)
        #expect(await eventually { h.sim.stats.callbacksDelivered == 1 })
        #expect(h.sim.stats.callbacksAttempted == 1)
        #expect(receiver.accessLog.contains("POST /cb/secret"))
        await h.stop()
    }

    @Test func refusesAnUntrustedCertificateAndRetries() async throws {
        let receiver = try await TLSReceiver.start()
        defer { receiver.stop() }
        let h = try SimHarness(timeScale: 0.05)
        _ = try await h.client.submit(GenerationRequest(prompt: "tls owl", callbackURL: receiver.url), idempotencyKey: nil)
        #expect(await eventually { h.sim.stats.callbacksGivenUp == 1 })
        #expect(h.sim.stats.callbacksAttempted == 4 && h.sim.stats.callbacksDelivered == 0)
        #expect(!receiver.accessLog.contains("POST /cb/secret"))
        await h.stop()
    }
}
