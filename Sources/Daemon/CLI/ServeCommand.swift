import ArgumentParser
import Foundation
import Logging

/// `imagehookd serve --config FILE`: runs the daemon until SIGTERM/SIGINT.
public struct ServeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the daemon (public and internal listeners, service, reconciliation)."
    )

    @OptionGroup public var options: ConfigOptions

    public init() {}

    public func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let loaded = options.load(environment: environment)
        guard loaded.isValid else {
            options.report(loaded.problems)
            Console.error("refusing to start; fix the problems above (imagehookd check-config)")
            throw ExitCode.configError
        }
        let levelControl = DaemonLogging.bootstrap(level: loaded.configuration.logLevel)
        let logger = Logger(label: "imagehookd")
        let configPath = FileManager.default.fileExists(atPath: options.config) ? options.config : nil
        let runtime = DaemonRuntime(loaded: loaded, configPath: configPath, environment: environment,
                                    levelControl: levelControl, logger: logger)
        let signals = SignalWatcher()
        do {
            try await runtime.start(service: ServiceWiring.makeService, simulator: ServiceWiring.makeSimulator)
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error.description)"])
            switch error {
            case .configuration: throw ExitCode.configError
            default: throw ExitCode.software
            }
        }
        for await signal in signals.signals {
            switch signal {
            case .reload:
                runtime.reload()
            case .terminate(let number):
                logger.notice("signal received", metadata: ["signal": "\(number == SIGTERM ? "TERM" : "INT")"])
                guard await runtime.shutdown() else { throw ExitCode.software }
                return
            }
        }
    }
}
