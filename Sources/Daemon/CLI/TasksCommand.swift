import ArgumentParser
import Foundation

/// `imagehookd tasks [--status S]`.
public struct TasksCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "tasks", abstract: "List tasks.")

    @Option(help: "Only tasks in this status (pending, processing, completed, failed, cancelled).") var status: String?
    @Option(help: "Tasks per page.") var limit: Int?
    @Option(help: "Continue after this cursor (printed as `more: --cursor ...`).") var cursor: String?
    @OptionGroup var client: ClientOptions

    public init() {}

    public func validate() throws {
        if let status, !["pending", "processing", "completed", "failed", "cancelled"].contains(status) {
            throw ValidationError("--status must be pending, processing, completed, failed or cancelled")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    public func run() async throws {
        do {
            let api = try client.makeClient()
            var query: [String] = []
            if let status { query.append("status=\(status)") }
            if let limit { query.append("limit=\(limit)") }
            if let cursor {
                let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
                query.append("cursor=\(cursor.addingPercentEncoding(withAllowedCharacters: allowed) ?? cursor)")
            }
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
