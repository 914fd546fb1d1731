import Logging

/// Builds the service once the listeners are bound. `configuration` already carries the
/// effective provider URL and public URL (simulator mode fills them in). The last
/// argument is `http://<bound public listener>`, for requests the daemon sends itself.
public typealias ServiceFactory = @Sendable (DaemonConfiguration, DaemonSecrets, Logger, String) async throws -> ServiceHandle

/// Starts the embedded provider simulator; returns its base URL and a stop function.
public typealias SimulatorFactory = @Sendable (DaemonConfiguration, Logger) async throws
    -> (baseURL: String, stop: @Sendable () async -> Void)
