import Foundation
import ArgumentParser

/// `replay` and `retry` share their shape: POST /v1/tasks/{id}/<action>.
enum TaskActionCommand {
    static func perform(_ action: String, id: String, client: ClientOptions) async throws {
        do {
            let result = try await client.makeClient().call("POST", "/v1/tasks/\(id)/\(action)")
            if client.json { Console.out(InternalAPIClient.jsonText(result)); return }
            if let requeued = result["requeued"] as? NSNumber {
                Console.out("\(id): \(requeued.intValue) download(s) re-queued")
            } else if let replayed = result["replayed"] as? NSNumber {
                let statuses = (result["statuses"] as? [NSNumber] ?? []).map { "\($0.intValue)" }.joined(separator: ",")
                Console.out("\(id): \(replayed.intValue) callback(s) replayed (statuses \(statuses.isEmpty ? "-" : statuses))")
            } else {
                Console.out("\(action): \(id) ok")
                for line in TaskPrinter.details(result) { Console.out(line) }
            }
        } catch let error as CLIError {
            Console.error("imagehookd \(action): \(error)")
            throw error.exitCode
        }
    }
}
