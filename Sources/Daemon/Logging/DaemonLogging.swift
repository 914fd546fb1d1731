import Logging

/// Process-wide logging set-up for the executable: logfmt on stderr, one shared level.
public enum DaemonLogging {
    /// Bootstraps swift-log once per process and returns the level control SIGHUP uses.
    public static func bootstrap(level: Logger.Level) -> LogLevelControl {
        let control = LogLevelControl(level)
        LoggingSystem.bootstrap { label in
            LogfmtLogHandler(label: label, levelControl: control)
        }
        return control
    }
}
