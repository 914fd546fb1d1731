import ArgumentParser

/// Exit statuses from sysexits(3), so scripts and systemd can tell failures apart
/// (the unit sets RestartPreventExitStatus=78 so a bad configuration is not retried).
extension ExitCode {
    /// The daemon answered with an error, or a task ended failed.
    public static let taskFailed = ExitCode(2)
    /// EX_DATAERR: the daemon's answer could not be understood.
    public static let dataError = ExitCode(65)
    /// EX_UNAVAILABLE: the daemon cannot be reached.
    public static let unavailable = ExitCode(69)
    /// EX_SOFTWARE: an internal error (listener or store failed to start).
    public static let software = ExitCode(70)
    /// EX_NOPERM: the token was refused.
    public static let noPermission = ExitCode(77)
    /// EX_CONFIG: the configuration has problems.
    public static let configError = ExitCode(78)
}
