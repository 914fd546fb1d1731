import Logging

/// Builds the service once the listeners are bound. `configuration` already carries the
/// effective provider URL and public URL (simulator mode fills them in).
public typealias ServiceFactory = @Sendable (DaemonConfiguration, DaemonSecrets, Logger) async throws -> ServiceHandle

/// Starts the embedded provider simulator; returns its base URL and a stop function.
public typealias SimulatorFactory = @Sendable (DaemonConfiguration, Logger) async throws
    -> (baseURL: String, stop: @Sendable () async -> Void)
