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
        sink.write(Self.format(level: event.level, message: event.message.description, label: label,
                               metadata: merged, timestamp: timestamps ? Date() : nil))
    }

    /// The line for one event (without the trailing newline). Public for tests and for
    /// tools that want the same format.
    public static func format(level: Logger.Level, message: String, label: String, metadata: Logger.Metadata,
                              timestamp: Date? = nil) -> String {
        var parts: [String] = []
        if let timestamp { parts.append(Logfmt.pair("ts", rfc3339(timestamp))) }
        parts.append(Logfmt.pair("level", level.rawValue))
        parts.append(Logfmt.pair("msg", LogRedaction.scrub(message)))
        parts.append(Logfmt.pair("logger", label))
        // Stable order: task_id and request_id first (what on-call greps for), then the rest sorted.
        let priority = ["task_id", "request_id"]
        let keys = priority.filter { metadata[$0] != nil } + metadata.keys.filter { !priority.contains($0) }.sorted()
        for key in keys {
            guard let value = metadata[key] else { continue }
            let text = LogRedaction.isSecretKey(key) ? LogRedaction.placeholder : LogRedaction.scrub(flatten(value))
            parts.append(Logfmt.pair(key, text))
        }
        return parts.joined(separator: " ")
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

    /// RFC 3339 UTC with milliseconds, formatted by hand (gmtime_r) because a date
    /// formatter per line would cost more than the rest of the line.
    static func rfc3339(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let millis = Int((interval - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let text = String(v)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
    }
}
