import ArgumentParser

/// `imagehookd check-config --config FILE`: reports every problem at once, each with its
/// line, and exits 78 (EX_CONFIG) if there is any; `serve` refuses the same problems.
public struct CheckConfigCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and the secret files it names."
    )

    @OptionGroup public var options: ConfigOptions

    @Flag(help: "Also print every key's effective value and where it came from (secrets: only their file).")
    public var print = false

    public init() {}

    public func run() throws {
        let result = options.load()
        guard result.isValid else {
            options.report(result.problems)
            throw ExitCode.configError
        }
        if print {
            for line in result.effectiveLines(file: options.config) { Console.out(line) }
        }
        let c = result.configuration
        let mode = c.isSimulatorMode ? "provider simulator (embedded, not the real API)"
            : "provider evolink \(c.providerBaseURL)"
        Console.out("\(options.config): OK; \(mode); public \(c.publicListen), internal \(c.internalListen), "
                    + "data \(c.dataDir), \(result.secrets.internalTokens.count) internal token(s)")
    }
}
