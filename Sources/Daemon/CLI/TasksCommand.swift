import ArgumentParser
import Foundation

/// `imagehookd tasks [--status S]`.
public struct TasksCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "tasks", abstract: "List tasks.")

    @Option(help: "Only tasks in this status (pending, processing, completed, failed, cancelled).") var status: String?
    @Option(help: "Tasks per page.") var limit: Int?
    @OptionGroup var client: ClientOptions

    public init() {}

    public func run() async throws {
        do {
            let api = try client.makeClient()
            var query: [String] = []
            if let status { query.append("status=\(status)") }
            if let limit { query.append("limit=\(limit)") }
            let list = try await api.call("GET", "/v1/tasks" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
            if client.json { Console.out(InternalAPIClient.jsonText(list)); return }
            let tasks = list["data"] as? [[String: Any]] ?? []
            if tasks.isEmpty { Console.out("no tasks"); return }
            for task in tasks { Console.out(TaskPrinter.summaryLine(task)) }
            if let cursor = list["next_cursor"] as? String { Console.out("more: --cursor \(cursor)") }
        } catch let error as CLIError {
            Console.error("imagehookd tasks: \(error)")
            throw error.exitCode
        }
    }
}
