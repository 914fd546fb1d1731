import Foundation
import Logging
import Testing
@testable import Daemon

@Suite struct LogfmtTests {
    @Test func bareAndQuotedValues() {
        #expect(Logfmt.pair("a", "simple") == "a=simple")
        #expect(Logfmt.pair("a", "") == "a=\"\"")
        #expect(Logfmt.pair("a", "two words") == "a=\"two words\"")
        #expect(Logfmt.pair("a", "k=v") == "a=\"k=v\"")
        #expect(Logfmt.pair("a", "say \"hi\"") == "a=\"say \\\"hi\\\"\"")
        #expect(Logfmt.pair("a", "back\\slash") == "a=\"back\\\\slash\"")
        #expect(Logfmt.pair("a", "line1\nline2\r\tx") == "a=\"line1\\nline2\\r\\tx\"")
        #expect(Logfmt.pair("a", "nul\u{0}bell\u{7}") == "a=\"nul\\u0000bell\\u0007\"")
        #expect(Logfmt.pair("a", "naïve→ok") == "a=naïve→ok")
        #expect(Logfmt.pair("bad key=\"", "v") == "bad_key__=v")
    }

    @Test func oneLinePerEventWithLevelMessageAndMetadata() {
        let line = LogfmtLogHandler.format(level: .warning, message: "download failed\nretrying", label: "imagehookd",
                                           metadata: ["task_id": "task-unified-1-abc", "request_id": "r-1",
                                                      "attempt": .stringConvertible(3), "bytes": "10"])
        #expect(!line.contains("\n"))
        #expect(line == "level=warning msg=\"download failed\\nretrying\" logger=imagehookd task_id=task-unified-1-abc request_id=r-1 attempt=3 bytes=10")
    }

    @Test func secretsAreRedacted() {
        let metadata: Logger.Metadata = [
            "authorization": "Bearer sk-123",
            "api_key": "sk-123",
            "relay_secret": "s3",
            "callback_token": "tok",
            "idempotency_key": "ik-1",
            "Password": "pw",
            "url": "https://hooks.example.com/v1/callbacks/abcdef0123?x=1",
            "headers": .dictionary(["X-Api-Key": "sk-123", "accept": "json"]),
            "task_id": "task-1",
        ]
        let line = LogfmtLogHandler.format(level: .info, message: "sent Authorization: Bearer sk-123 to /v1/callbacks/abcdef0123",
                                           label: "t", metadata: metadata)
        for secret in ["sk-123", "s3\"", "=tok", "ik-1", "=pw", "abcdef0123"] {
            #expect(!line.contains(secret), "\(secret) leaked: \(line)")
        }
        #expect(line.contains("url=\"https://hooks.example.com/v1/callbacks/[redacted]?x=1\""))
        #expect(line.contains("task_id=task-1"))
        #expect(line.contains("accept:json"))
        #expect(LogRedaction.isSecretKey("provider_api_key"))
        #expect(!LogRedaction.isSecretKey("task_id"))
        #expect(!LogRedaction.isSecretKey("keepalive"))
    }

    @Test func handlerHonoursTheSharedLevelAndWritesOneLine() {
        let lines = LineCollector()
        let control = LogLevelControl(.info)
        let logger = Logger(label: "test") { label in
            LogfmtLogHandler(label: label, levelControl: control, sink: LogSink(capture: { lines.append($0) }),
                             timestamps: false)
        }
        logger.debug("hidden")
        logger.info("shown", metadata: ["task_id": "t1"])
        control.current = .debug  // what SIGHUP does
        logger.debug("now shown")
        #expect(lines.all == ["level=info msg=shown logger=test task_id=t1", "level=debug msg=\"now shown\" logger=test"])
    }

    @Test func timestampsOutsideJournald() {
        let line = LogfmtLogHandler.format(level: .info, message: "m", label: "l", metadata: [:],
                                           timestamp: Date(timeIntervalSince1970: 0))
        #expect(line.hasPrefix("ts=1970-01-01T00:00:00.000Z level=info"))
        #expect(LogfmtLogHandler.rfc3339(Date(timeIntervalSince1970: 1_795_555_486.25)) == "2026-11-24T21:24:46.250Z")
    }
}
