import ArgumentParser
import Foundation

/// `--config FILE`, shared by `serve` and `check-config`.
public struct ConfigOptions: ParsableArguments {
    public static let defaultPath = "/etc/imagehook/imagehook.conf"

    @Option(name: .customLong("config"),
            help: ArgumentHelp("Configuration file (key = value) (default: IMAGEHOOK_CONFIG, else \(ConfigOptions.defaultPath)).",
                               valueName: "FILE"))
    var explicitConfig: String?

    public init() {}

    /// The file in use: --config, else IMAGEHOOK_CONFIG, else the default path.
    public var config: String {
        explicitConfig ?? ProcessInfo.processInfo.environment["IMAGEHOOK_CONFIG"] ?? Self.defaultPath
    }

    /// Loads and validates; prints every problem to stderr.
    func load(environment: [String: String] = ProcessInfo.processInfo.environment) -> ConfigLoadResult {
        // A missing default file is fine (embedded defaults, e.g. the README's quick start);
        // an explicitly named missing file is a problem.
        let explicit = explicitConfig != nil || environment["IMAGEHOOK_CONFIG"] != nil
        if !explicit && !FileManager.default.fileExists(atPath: config) {
            return ConfigLoader.load(text: "", environment: environment)
        }
        return ConfigLoader.load(path: config, environment: environment)
    }

    func report(_ problems: [ConfigProblem]) {
        for problem in problems {
            Console.error(problem.render(file: config))
        }
        Console.error("\(problems.count) configuration problem\(problems.count == 1 ? "" : "s") in \(config)")
    }
}
