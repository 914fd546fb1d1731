import Foundation
import Logging

/// A swift-log handler writing one logfmt line per event:
/// `level=info msg="..." logger=imagehookd task_id=... request_id=...`.
/// journald adds the time and unit; outside journald (`JOURNAL_STREAM` unset) a `ts=`
/// RFC 3339 timestamp leads the line. Secrets are redacted by `LogRedaction`.
public struct LogfmtLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let levelControl: LogLevelControl
    private let sink: LogSink
    private let timestamps: Bool

    public init(label: String, levelControl: LogLevelControl, sink: LogSink = .standardError,
                timestamps: Bool = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] == nil) {
        self.label = label
        self.levelControl = levelControl
        self.sink = sink
        self.timestamps = timestamps
    }

    public var logLevel: Logger.Level {
        get { levelControl.current }
        set { levelControl.current = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = self.metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        if let error = event.error { merged["error"] = .string("\(error)") }
        var line = Self.start(level: event.level, message: event.message.description, label: label,
                              timestamp: timestamps ? WallClock.now() : nil)
        Self.appendMetadata(merged, to: &line)
        sink.write(line: line.terminated())
    }

    /// The line for one event (without the trailing newline). Public for tests and for
    /// tools that want the same format.
    public static func format(level: Logger.Level, message: String, label: String, metadata: Logger.Metadata,
                              timestamp: Date? = nil) -> String {
        var line = start(level: level, message: message, label: label, timestamp: timestamp.map(WallClock.init))
        appendMetadata(metadata, to: &line)
        return line.text
    }

    /// `ts` (outside journald), `level`, `msg` and `logger`: how every line begins.
    static func start(level: Logger.Level, message: String, label: String, timestamp: WallClock?) -> LogLine {
        var line = LogLine()
        if let timestamp { line.appendTimestamp(seconds: timestamp.seconds, milliseconds: timestamp.milliseconds) }
        line.append("level", level.rawValue)
        line.append("msg", LogRedaction.scrub(message))
        line.append("logger", label)
        return line
    }

    static func appendMetadata(_ metadata: Logger.Metadata, to line: inout LogLine) {
        guard !metadata.isEmpty else { return }
        // Stable order: task_id and request_id first (what on-call greps for), then the rest sorted.
        for key in priorityKeys {
            if let value = metadata[key] { appendPair(key, value, to: &line) }
        }
        for key in metadata.keys.sorted() where !priorityKeys.contains(key) {
            appendPair(key, metadata[key]!, to: &line)
        }
    }

    static let priorityKeys = ["task_id", "request_id"]

    private static func appendPair(_ key: String, _ value: Logger.Metadata.Value, to line: inout LogLine) {
        line.append(key, LogRedaction.isSecretKey(key) ? LogRedaction.placeholder : LogRedaction.scrub(flatten(value)))
    }

    static func flatten(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): return s
        case .stringConvertible(let c): return c.description
        case .array(let a): return a.map(flatten).joined(separator: ",")
        case .dictionary(let d):
            return d.keys.sorted().map { k in
                "\(k):" + (LogRedaction.isSecretKey(k) ? LogRedaction.placeholder : flatten(d[k]!))
            }.joined(separator: ",")
        }
    }

    /// RFC 3339 UTC with milliseconds (`LogLine.appendTimestamp`).
    static func rfc3339(_ date: Date) -> String {
        let clock = WallClock(date)
        var line = LogLine(capacity: 32)
        line.appendTimestamp(seconds: clock.seconds, milliseconds: clock.milliseconds)
        return String(line.text.dropFirst(3))  // without "ts="
    }
}
