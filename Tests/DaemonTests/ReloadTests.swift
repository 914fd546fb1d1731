import Foundation
import HTTP1
import HTTPClient
import Testing
@testable import Daemon
import TestSupport

@Suite struct ReloadTests {
    @Test func sighupAppliesReloadableKeysAndNamesTheRest() async throws {
        let dir = TemporaryDirectory()
        let config = dir.write("imagehook.conf", """
        public_listen = 127.0.0.1:0
        internal_listen = 127.0.0.1:0
        data_dir = \(dir.path)/data
        readyz_min_free_bytes = 0
        shutdown_timeout = 3s
        log_level = info
        """, mode: 0o644)
        let daemon = try DaemonProcess(arguments: ["serve", "--config", config], environment: [:])
        _ = try await daemon.waitForLine(containing: "msg=ready")

        dir.write("imagehook.conf", """
        public_listen = 127.0.0.1:0
        internal_listen = 127.0.0.1:0
        data_dir = \(dir.path)/data
        readyz_min_free_bytes = 0
        shutdown_timeout = 3s
        log_level = debug
        max_body_bytes = 2MiB
        download_workers = 8
        """, mode: 0o644)
        kill(daemon.pid, SIGHUP)
        let applied = try await daemon.waitForLine(containing: "msg=\"configuration reloaded\"")
        #expect(applied.contains("applied=log_level,max_body_bytes") || applied.contains("applied=max_body_bytes,log_level")
                || applied.contains("applied=\"log_level,max_body_bytes\""), "\(applied)")
        let restart = try await daemon.waitForLine(containing: "need a restart")
        #expect(restart.contains("download_workers"))

        // A broken file is refused on reload and the daemon keeps running.
        dir.write("imagehook.conf", "log_level = chatty\n", mode: 0o644)
        kill(daemon.pid, SIGHUP)
        let refused = try await daemon.waitForLine(containing: "reload refused")
        #expect(refused.contains("log_level"))
        #expect(daemon.isRunning)
        #expect(await daemon.signalAndWait(SIGTERM, timeout: 15) == 0)
    }

    /// The server's request limits apply to connections accepted after SIGHUP; retention
    /// and quotas reload too, and none of them is reported as needing a restart.
    @Test func sighupAppliesServerLimitsToNewConnections() async throws {
        let dir = TemporaryDirectory()
        func write(_ extra: String) {
            dir.write("imagehook.conf", """
            public_listen = 127.0.0.1:0
            internal_listen = 127.0.0.1:0
            data_dir = \(dir.path)/data
            readyz_min_free_bytes = 0
            shutdown_timeout = 3s
            \(extra)
            """, mode: 0o644)
        }
        write("")
        let daemon = try DaemonProcess(arguments: ["serve", "--config", dir.path + "/imagehook.conf"], environment: [:])
        let ready = try await daemon.waitForLine(containing: "msg=ready")
        let port = try #require(DaemonProcess.field("internal_port", in: ready))
        var headers = HTTPHeaders()
        for i in 0..<12 { headers.add(name: "X-Extra-\(i)", value: "1") }
        let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz", headers: headers)
        let fresh = HTTPClientConfiguration(allowPlainHTTP: true, addressPolicy: .trusted, maxIdleConnectionsPerOrigin: 0)
        #expect(try await HTTPClient(configuration: fresh).execute(request).status == 200)

        write("max_header_count = 10\nheader_timeout = 5s\nretention_tasks = 8d\ncaller_limits = batch=10/5")
        kill(daemon.pid, SIGHUP)
        let applied = try await daemon.waitForLine(containing: "msg=\"configuration reloaded\"")
        for key in ["max_header_count", "header_timeout", "retention_tasks", "caller_limits"] {
            #expect(applied.contains(key), "\(key): \(applied)")
        }
        #expect(try await HTTPClient(configuration: fresh).execute(request).status == 431)
        #expect(!daemon.stderr.contains("need a restart"))
        #expect(await daemon.signalAndWait(SIGTERM, timeout: 15) == 0)
    }
}
