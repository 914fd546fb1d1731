import HTTPServer
import Logging
import Testing
@testable import Daemon

@Suite struct AccessLogTests {
    static func record(_ method: String, _ path: Substring, status: Int = 200) -> HTTPRequestRecord {
        HTTPRequestRecord(listenerName: "public", method: method, path: path, status: status, bytes: 17,
                          durationNanoseconds: 1_234_567, requestID: "r-1", remoteAddress: "127.0.0.1:5000")
    }

    @Test func oneLogfmtLinePerRequestWithTheTokenMasked() {
        let lines = LineCollector()
        let log = AccessLog(levelControl: LogLevelControl(.info), sink: LogSink(capture: { lines.append($0) }),
                            timestamps: false)
        let callback = Self.record("POST", "/v1/callbacks/s3cr3t-tok")
        log.write(callback, route: RouteLabel.route(for: callback.path))
        #expect(lines.all == [
            "level=info msg=request logger=http request_id=r-1 bytes=17 duration_ms=1.234 listener=public method=POST "
                + "path=/v1/callbacks/[redacted] remote=127.0.0.1:5000 status=200",
        ])
    }

    @Test func sameLineAsTheGenericHandlerWouldWrite() {
        let lines = LineCollector()
        let log = AccessLog(levelControl: LogLevelControl(.info), sink: LogSink(capture: { lines.append($0) }),
                            timestamps: false)
        let odd = Self.record("GET", "/v1/tasks/a\"b=c\\d")
        log.write(odd, route: .task)
        let expected = LogfmtLogHandler.format(level: .info, message: "request", label: "http", metadata: [
            "request_id": "r-1", "bytes": "17", "duration_ms": "1.234", "listener": "public", "method": "GET",
            "path": "/v1/tasks/a\"b=c\\d", "remote": "127.0.0.1:5000", "status": "200",
        ])
        #expect(lines.all == [expected])
    }

    @Test func successfulProbesAreDebugAndTheLevelIsCheckedFirst() {
        let lines = LineCollector()
        let control = LogLevelControl(.info)
        let log = AccessLog(levelControl: control, sink: LogSink(capture: { lines.append($0) }), timestamps: false)
        log.write(Self.record("GET", "/healthz"), route: .healthz)
        log.write(Self.record("GET", "/metrics"), route: .metrics)
        #expect(lines.all.isEmpty, "a 200 probe is debug")
        log.write(Self.record("GET", "/readyz", status: 503), route: .readyz)
        #expect(lines.all.count == 1 && lines.all[0].contains("status=503"), "a failing probe is kept")
        control.current = .warning
        log.write(Self.record("GET", "/v1/tasks"), route: .tasks)
        #expect(lines.all.count == 1, "at warning no request is logged")
        control.current = .debug
        log.write(Self.record("GET", "/healthz"), route: .healthz)
        #expect(lines.all.count == 2 && lines.all[1].hasPrefix("level=debug msg=request"))
    }

    @Test func timestampLeadsTheLineOutsideJournald() {
        let lines = LineCollector()
        let log = AccessLog(levelControl: LogLevelControl(.info), sink: LogSink(capture: { lines.append($0) }),
                            timestamps: true)
        log.write(Self.record("GET", "/v1/ledger"), route: .ledger)
        let line = lines.all.first ?? ""
        // ts=YYYY-MM-DDTHH:MM:SS.mmmZ
        #expect(line.hasPrefix("ts=20") && line.dropFirst(3).prefix(24).last == "Z", "\(line)")
        #expect(line.contains(" level=info msg=request logger=http "))
    }
}
