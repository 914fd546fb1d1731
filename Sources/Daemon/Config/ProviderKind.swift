/// Which image provider the daemon talks to (`provider` key). Always an explicit
/// choice: the daemon never falls back to the simulator on its own, because a daemon
/// that silently fakes the provider looks healthy while no real image is ever made.
public enum ProviderKind: String, Sendable, CaseIterable {
    /// The real EvoLink API; needs `provider_api_key_file`.
    case evolink
    /// The embedded EvoLink simulator on loopback, for local development; spends nothing.
    case simulator
}
