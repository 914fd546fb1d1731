import ArgumentParser
import Foundation

/// `imagehookd redrive relays|images [--task ID] [--caller NAME] [--since T] [--until T]
/// [--limit N] [--list]`: lists the relays that were given up or the images that failed
/// for good, and (without `--list`) puts every match back to work. Needs an admin token.
/// A re-driven relay keeps its webhook-id, so a submitter that saw it once dedupes it.
public struct RedriveCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "redrive",
        abstract: "List and re-drive given-up relays or failed images (admin token)."
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable { case relays, images }

    @Argument(help: "relays or images.") var kind: Kind
    @Option(help: "Only this task.") var task: String?
    @Option(help: "Only tasks of this caller.") var caller: String?
    @Option(help: ArgumentHelp("Given up at or after this time (unix seconds).", valueName: "SECONDS")) var since: Double?
    @Option(help: ArgumentHelp("Given up before this time (unix seconds).", valueName: "SECONDS")) var until: Double?
    @Option(help: "Most items at once.") var limit: Int?
    @Flag(help: "Only list; change nothing.") var list = false
    @OptionGroup var client: ClientOptions

    public init() {}

    /// The query string of the filters (values percent-encoded).
    var query: String {
        var pairs: [String] = []
        func add(_ name: String, _ value: String?) {
            guard let value, let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) else { return }
            pairs.append("\(name)=\(encoded)")
        }
        add("task", task)
        add("caller", caller)
        add("since", since.map { String($0) })
        add("until", until.map { String($0) })
        add("limit", limit.map(String.init))
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }

    public func run() async throws {
        do {
            let result = try await client.makeClient().call(list ? "GET" : "POST", "/v1/redrive/\(kind.rawValue)" + query)
            if client.json { Console.out(InternalAPIClient.jsonText(result)); return }
            let items = result["data"] as? [[String: Any]] ?? []
            for item in items {
                let index = (item["index"] as? NSNumber).map { " image \($0.intValue)" } ?? ""
                let webhook = (item["webhook_id"] as? String).map { " webhook-id \($0)" } ?? ""
                Console.out("\(item["task_id"] as? String ?? "?")\(index) caller \(item["caller"] as? String ?? "?")"
                            + "\(webhook) attempts \((item["attempts"] as? NSNumber)?.intValue ?? 0): \(item["reason"] as? String ?? "")")
            }
            if list {
                Console.out("\(items.count) \(kind.rawValue) to re-drive")
            } else {
                Console.out("\((result["redriven"] as? NSNumber)?.intValue ?? 0) \(kind.rawValue) re-driven")
            }
        } catch let error as CLIError {
            Console.error("imagehookd redrive: \(error)")
            throw error.exitCode
        }
    }
}
