import Foundation
import Logging

/// The daemon-wide log level, shared by every handler so SIGHUP can change it without
/// rebuilding loggers.
public final class LogLevelControl: @unchecked Sendable {
    private let lock = NSLock()
    private var level: Logger.Level

    public init(_ level: Logger.Level) { self.level = level }

    public var current: Logger.Level {
        get { lock.withLock { level } }
        set { lock.withLock { level = newValue } }
    }
}
