/// One configuration key: its file name, documentation, default (as written in the
/// file) and how to apply a textual value.
public struct ConfigKey: Sendable {
    public var name: String
    public var defaultText: String
    public var unit: String
    public var summary: String
    /// Whether SIGHUP may change it in a running daemon.
    public var reloadable: Bool
    let apply: @Sendable (inout DaemonConfiguration, String) -> ConfigValueParser.Message?

    /// `IMAGEHOOK_<UPPERCASE_KEY>`.
    public var environmentName: String { "IMAGEHOOK_" + name.uppercased() }
}
