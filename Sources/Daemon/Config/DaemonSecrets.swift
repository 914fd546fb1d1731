/// Secrets read at start-up (and, for tokens, on SIGHUP). Redacted in every description.
public struct DaemonSecrets: Sendable, Equatable {
    public var providerAPIKey: Secret?
    public var internalTokens: [InternalToken]
    public var relaySecret: Secret?

    public init(providerAPIKey: Secret? = nil, internalTokens: [InternalToken] = [], relaySecret: Secret? = nil) {
        self.providerAPIKey = providerAPIKey
        self.internalTokens = internalTokens
        self.relaySecret = relaySecret
    }
}
