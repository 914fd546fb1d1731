import Logging
import Support

/// The daemon-wide log level, shared by every handler so SIGHUP can change it without
/// rebuilding loggers.
public final class LogLevelControl: Sendable {
    private let level: Locked<Logger.Level>

    public init(_ level: Logger.Level) { self.level = Locked(level) }

    public var current: Logger.Level {
        get { level.withLock { $0 } }
        set { level.withLock { $0 = newValue } }
    }
}
