import Logging
import Testing
@testable import Daemon

@Suite struct MetricsTapLogHandlerTests {
    @Test func accessEventsBecomeMetricsAndProbesAreDemoted() {
        let lines = LineCollector()
        let registry = MetricsRegistry()
        let control = LogLevelControl(.warning)
        let logger = Logger(label: "http") { label in
            MetricsTapLogHandler(inner: LogfmtLogHandler(label: label, levelControl: control,
                                                         sink: LogSink(capture: { lines.append($0) }), timestamps: false),
                                 metrics: registry)
        }
        // The server checks the level before emitting access events: the tap keeps it at info.
        #expect(logger.logLevel == .info)
        let access: Logger.Metadata = ["method": "POST", "path": "/v1/callbacks/tok123", "status": "200", "bytes": "2",
                                       "duration_ms": "1.5", "listener": "public", "request_id": "r1"]
        logger.info("request", metadata: access)
        logger.info("request", metadata: ["method": "GET", "path": "/healthz", "status": "200", "listener": "internal"])
        logger.warning("accept paused")
        let text = registry.render()
        #expect(text.contains(#"imagehook_http_requests_total{listener="public",route="/v1/callbacks/{token}",method="POST",status="200"} 1"#))
        #expect(text.contains(#"imagehook_http_requests_total{listener="internal",route="/healthz",method="GET",status="200"} 1"#))
        #expect(text.contains(#"imagehook_http_request_duration_seconds_sum{listener="public",route="/v1/callbacks/{token}",method="POST"} 0.0015"#))
        #expect(!text.contains("tok123"))
        // At warning, only the warning is written.
        #expect(lines.all == ["level=warning msg=\"accept paused\" logger=http"])
        control.current = .info
        logger.info("request", metadata: ["method": "GET", "path": "/healthz", "status": "200", "listener": "internal"])
        logger.info("request", metadata: ["method": "GET", "path": "/healthz", "status": "503", "listener": "internal"])
        #expect(lines.all.count == 2, "a 200 probe is debug; a failing probe is kept")
        #expect(lines.all.last?.contains("status=503") == true)
    }
}
