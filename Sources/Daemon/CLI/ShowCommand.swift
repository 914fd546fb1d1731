import ArgumentParser

/// `imagehookd show ID`.
public struct ShowCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one task and its images.")

    @Argument(help: "Task id (task-unified-...).") var id: String
    @OptionGroup var client: ClientOptions

    public init() {}

    public func run() async throws {
        do {
            let api = try client.makeClient()
            let task = try await api.call("GET", "/v1/tasks/\(id)")
            if client.json { Console.out(InternalAPIClient.jsonText(task)); return }
            for line in TaskPrinter.details(task, base: api.baseURL) { Console.out(line) }
        } catch let error as CLIError {
            Console.error("imagehookd show: \(error)")
            throw error.exitCode
        }
    }
}
