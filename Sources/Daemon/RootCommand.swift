import ArgumentParser

/// `imagehookd`: the daemon and its operator commands.
// The availability attribute selects the async `main()` overload (swift-argument-parser).
@available(macOS 10.15, *)
public struct RootCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "imagehookd",
        abstract: "Durable bridge between internal services and EvoLink's asynchronous image API.",
        subcommands: [ServeCommand.self, CheckConfigCommand.self, CheckLedgerCommand.self, SubmitCommand.self, TasksCommand.self,
                      ShowCommand.self, ReplayCommand.self, RetryCommand.self, RedriveCommand.self]
    )
    public init() {}
}

@available(macOS 10.15, *)
extension RootCommand {
    /// Entry point for `main.swift`: runs the async `main()` (top-level code would pick
    /// the synchronous overload, which refuses async subcommands).
    public static func runMain() async {
        let asyncMain: () async -> Void = main
        await asyncMain()
    }
}
