/// What an internal caller's token may see (`name:token:scope` in the tokens file).
///
/// `submitter` sees, lists, downloads, replays and retries only the tasks it submitted;
/// anything else answers 404, exactly like an id that does not exist, so ids cannot be
/// probed. `admin` sees every caller's work (operators, dashboards). Metrics, health and
/// readiness are not task data and need no scope.
public enum CallerScope: String, Sendable, Hashable, CaseIterable {
    case submitter, admin

    /// For a `name:token` line with no scope: least privilege. A service keeps seeing
    /// all of its own work, so existing callers notice nothing; reading other callers'
    /// work is an operator's grant and must be written out as `:admin`.
    public static let legacyDefault = CallerScope.submitter
}
