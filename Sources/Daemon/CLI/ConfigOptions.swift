import ArgumentParser
import Foundation

/// `--config FILE`, shared by `serve` and `check-config`.
public struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Configuration file (key = value).", valueName: "FILE"))
    public var config: String = ProcessInfo.processInfo.environment["IMAGEHOOK_CONFIG"] ?? "/etc/imagehook/imagehook.conf"

    public init() {}

    /// Loads and validates; prints every problem to stderr.
    func load(environment: [String: String] = ProcessInfo.processInfo.environment) -> ConfigLoadResult {
        // A missing default file is fine (embedded defaults, e.g. the README's quick start);
        // an explicitly named missing file is a problem.
        let explicit = CommandLine.arguments.contains { $0 == "--config" || $0.hasPrefix("--config=") }
            || environment["IMAGEHOOK_CONFIG"] != nil
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
