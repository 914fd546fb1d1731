import Foundation
import Testing
@testable import Daemon
import TestSupport

/// The running daemon's access line and request metrics both come from the server's
/// per-request record: checked through a real `serve` process.
@Suite struct AccessLogEndToEndTests {
    @Test func oneAccessLinePerRequestAtInfoAndProbesOnlyInMetrics() async throws {
        let dir = TemporaryDirectory()
        let daemon = try DaemonProcess(arguments: ["serve"], environment: [
            "IMAGEHOOK_PUBLIC_LISTEN": "127.0.0.1:0",
            "IMAGEHOOK_INTERNAL_LISTEN": "127.0.0.1:0",
            "IMAGEHOOK_DATA_DIR": dir.path + "/data",
            "IMAGEHOOK_LOG_LEVEL": "info",
        ])
        defer { daemon.child.signal(SIGTERM) }  // the child's deinit SIGKILLs whatever is left
        let ready = try await daemon.waitForLine(containing: "msg=ready")
        let internalPort = try #require(DaemonProcess.field("internal_port", in: ready).flatMap(Int.init))
        let base = "http://127.0.0.1:\(internalPort)"

        let health = try await HTTPProbe.get(base + "/healthz")
        #expect(health.status == 200)
        let tasks = try await HTTPProbe.get(base + "/v1/tasks/task-e2e-1?token=q-s3cret")
        let line = try await daemon.waitForLine(containing: "path=/v1/tasks/task-e2e-1", timeout: 10)
        #expect(line.contains("level=info msg=request logger=http request_id="), "\(line)")
        #expect(line.contains(" method=GET ") && line.contains(" listener=internal "), "\(line)")
        #expect(line.contains(" status=\(tasks.status)"), "\(line)")
        #expect(!daemon.stderr.contains("q-s3cret"), "the query never reaches the log")

        let metrics = try await HTTPProbe.get(base + "/metrics")
        let route = #"listener="internal",route="/v1/tasks/{id}",method="GET""#
        #expect(metrics.body.contains(#"imagehook_http_requests_total{\#(route),status="\#(tasks.status)"} 1"#))
        #expect(metrics.body.contains(#"imagehook_http_request_duration_seconds_count{\#(route)} 1"#))
        #expect(metrics.body.contains(#"imagehook_http_requests_total{listener="internal",route="/healthz",method="GET",status="200"} 1"#))
        // A successful probe is debug: counted, but not written at info.
        let requestLines = daemon.stderr.split(separator: "\n").filter { $0.contains("msg=request") }
        #expect(requestLines.count == 1, "\(requestLines)")
    }
}
