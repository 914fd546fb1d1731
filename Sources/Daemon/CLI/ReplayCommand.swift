import ArgumentParser

/// `imagehookd replay ID`: re-apply the task's journaled callbacks.
public struct ReplayCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "replay", abstract: "Re-apply a task's journaled callbacks.")
    @Argument(help: "Task id.") var id: String
    @OptionGroup var client: ClientOptions
    public init() {}
    public func run() async throws { try await TaskActionCommand.perform("replay", id: id, client: client) }
}
