import Foundation
import HTTPServer
import Logging

/// The access log: one logfmt line per answered request, written straight from the
/// server's typed record, in the same shape as any other event of logger `http`:
/// `level=info msg=request logger=http request_id=... bytes=... duration_ms=...
/// listener=... method=... path=... remote=... status=...`.
/// Successful probes (/healthz, /readyz, /metrics, scraped every few seconds) are at
/// debug so they do not drown the journal. The level is checked before anything is
/// built, so a request the level hides costs one lock and a comparison.
public struct AccessLog: Sendable {
    static let label = "http"
    private let levelControl: LogLevelControl
    private let sink: LogSink
    private let timestamps: Bool

    public init(levelControl: LogLevelControl, sink: LogSink = .standardError,
                timestamps: Bool = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] == nil) {
        self.levelControl = levelControl
        self.sink = sink
        self.timestamps = timestamps
    }

    public static func level(route: RouteLabel, status: Int) -> Logger.Level {
        route.isProbe && status == 200 ? .debug : .info
    }

    public func write(_ record: HTTPRequestRecord, route: RouteLabel) {
        let level = Self.level(route: route, status: record.status)
        guard level >= levelControl.current else { return }
        var line = LogfmtLogHandler.start(level: level, message: "request", label: Self.label,
                                          timestamp: timestamps ? WallClock.now() : nil)
        // Keys in the order of every other event: request_id first, then sorted.
        line.append("request_id", record.requestID)
        line.append("bytes", record.bytes)
        line.append("duration_ms", thousandths: record.durationNanoseconds / 1000)
        line.append("listener", record.listenerName)
        line.append("method", record.method)
        if LogRedaction.mayHoldCallbackToken(record.path.utf8) {
            line.append("path", LogRedaction.scrub(String(record.path)))
        } else {
            line.append("path", utf8: record.path.utf8)
        }
        line.append("remote", record.remoteAddress)
        line.append("status", record.status)
        sink.write(line: line.terminated())
    }
}
