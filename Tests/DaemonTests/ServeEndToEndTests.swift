import Foundation
import Testing
@testable import Daemon
import TestSupport

@Suite struct ServeEndToEndTests {
    @Test func serveAnswersOnBothListenersHonoursEnvAndStopsOnSIGTERM() async throws {
        let dir = TemporaryDirectory()
        let config = dir.write("imagehook.conf", """
        # listeners come from the environment below
        data_dir = \(dir.path)/from-file
        log_level = info
        simulator_time_scale = 0.1
        shutdown_timeout = 5s
        readyz_min_free_bytes = 0
        """, mode: 0o644)
        let notify = NotifySocket(abstract: true, directory: dir)
        let daemon = try DaemonProcess(arguments: ["serve", "--config", config], environment: [
            "IMAGEHOOK_PUBLIC_LISTEN": "127.0.0.1:0",
            "IMAGEHOOK_INTERNAL_LISTEN": "127.0.0.1:0",
            "IMAGEHOOK_DATA_DIR": dir.path + "/from-env",
            "NOTIFY_SOCKET": notify.name,
        ])
        let ready = try await daemon.waitForLine(containing: "msg=ready")
        let publicPort = try #require(DaemonProcess.field("public_port", in: ready).flatMap(Int.init))
        let internalPort = try #require(DaemonProcess.field("internal_port", in: ready).flatMap(Int.init))
        #expect(publicPort > 0 && internalPort > 0 && publicPort != internalPort)
        #expect(daemon.stderr.contains("SIMULATOR MODE"))

        // READY=1 reaches the notification socket once the listeners are up.
        let readyMessage = try #require(notify.receive())
        #expect(readyMessage.hasPrefix("READY=1\nSTATUS=serving"))

        // IMAGEHOOK_DATA_DIR overrides the file's data_dir.
        #expect(FileManager.default.fileExists(atPath: dir.path + "/from-env"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/from-file"))

        for port in [publicPort, internalPort] {
            let health = try await HTTPProbe.get("http://127.0.0.1:\(port)/healthz")
            #expect(health.status == 200)
            #expect(health.body == #"{"status":"ok"}"#)
        }
        let readyz = try await HTTPProbe.get("http://127.0.0.1:\(internalPort)/readyz")
        #expect(readyz.status == 200, "\(readyz.body)")
        #expect(readyz.body.contains(#""status":"ready""#))
        let metrics = try await HTTPProbe.get("http://127.0.0.1:\(internalPort)/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.headers["Content-Type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(metrics.body.contains("imagehook_up 1"))
        #expect(metrics.body.contains("imagehook_simulator_mode 1"))
        // Given-up submits are visible to the operator (alert on any).
        #expect(metrics.body.contains(#"imagehook_submissions{state="abandoned"} 0"#), "\(metrics.body)")
        #expect(metrics.body.contains(#"imagehook_submissions{state="ambiguous"} 0"#))
        #expect(metrics.body.contains(#"imagehook_http_requests_total{listener="public",route="/healthz",method="GET",status="200"} 1"#))
        // Internal-only routes do not exist on the public listener.
        let publicMetrics = try await HTTPProbe.get("http://127.0.0.1:\(publicPort)/metrics")
        #expect(publicMetrics.status == 404)
        let publicReadyz = try await HTTPProbe.get("http://127.0.0.1:\(publicPort)/readyz")
        #expect(publicReadyz.status == 404)

        // Every stderr line is logfmt with a level.
        for line in daemon.stderr.split(separator: "\n") {
            #expect(line.contains(" level=") || line.hasPrefix("level="), "\(line)")
        }

        let status = await daemon.signalAndWait(SIGTERM, timeout: 10)
        #expect(status == 0, "exit status \(String(describing: status)); stderr:\n\(daemon.stderr)")
        // The daemon has exited, so everything it sent is already queued: drain without
        // waiting. Periodic STATUS= summaries (every DaemonRuntime.statusInterval) may
        // come before STOPPING=1 when this test is slow; nothing may come after it.
        let afterReady = notify.drain()
        let stoppingIndex = afterReady.firstIndex { $0.hasPrefix("STOPPING=1\nSTATUS=shutting down") }
        #expect(stoppingIndex != nil, "no STOPPING=1 among \(afterReady)")
        if let stoppingIndex {
            #expect(afterReady[..<stoppingIndex].allSatisfy { $0.hasPrefix("STATUS=serving; public \(publicPort)") },
                    "\(afterReady)")
            #expect(stoppingIndex == afterReady.count - 1, "sent after STOPPING=1: \(afterReady)")
        }
    }

    @Test func serveRefusesABadConfigurationWithEveryProblem() async throws {
        let dir = TemporaryDirectory()
        let config = dir.write("bad.conf", """
        public_listen = 8080
        header_timeout = soon
        provider_api_key_file = \(dir.path)/missing-key
        public_url = http://hooks.example.com
        """, mode: 0o644)
        for command in ["serve", "check-config"] {
            let daemon = try DaemonProcess(arguments: [command, "--config", config], environment: [:], provider: nil)
            #expect(await daemon.waitForExit() == 78)
            let err = daemon.stderr
            #expect(err.contains("bad.conf:1: public_listen:"))
            #expect(err.contains("bad.conf:2: header_timeout:"))
            #expect(err.contains("bad.conf:3: provider_api_key_file:"))
            #expect(err.contains("bad.conf:4: public_url: must be https"))
            #expect(err.contains("internal_tokens_file: required"))
        }
    }
}
