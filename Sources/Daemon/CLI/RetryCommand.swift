import ArgumentParser

/// `imagehookd retry ID`: re-queue the task's failed downloads.
public struct RetryCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "retry", abstract: "Re-queue a task's failed downloads.")
    @Argument(help: "Task id.") var id: String
    @OptionGroup var client: ClientOptions
    public init() {}
    public func run() async throws { try await TaskActionCommand.perform("retry", id: id, client: client) }
}
