/// What loading a configuration produced: the typed values, the secrets, and every
/// problem found (empty when the configuration can be served).
public struct ConfigLoadResult: Sendable {
    public var configuration: DaemonConfiguration
    public var secrets: DaemonSecrets
    public var problems: [ConfigProblem]
    /// Where each key's effective value came from (absent: default).
    public var origins: [String: ConfigProblem.Origin]
    /// The accepted text of each key that was set (file or environment), to tell on
    /// SIGHUP which keys changed.
    public var rawValues: [String: String] = [:]

    public var isValid: Bool { problems.isEmpty }
}
