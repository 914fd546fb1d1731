import ArgumentParser
import Foundation

/// `imagehookd submit "prompt" [--size WxH] [--n N] [--wait]`.
public struct SubmitCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Submit a generation through the internal API.")

    @Argument(help: "The prompt.") var prompt: String
    @Option(help: "Image size WxH in pixels (e.g. 1024x1024).") var size: String?
    @Option(help: "Number of images, 1...4.") var n: Int?
    @Option(name: .customLong("idempotency-key"), help: "Idempotency-Key; reuse it to retry a submit safely (default: a new random one).")
    var idempotencyKey: String?
    @Option(name: .customLong("callback-url"), help: "Where the daemon relays the final task (signed), e.g. your service's webhook.")
    var callbackURL: String?
    @Flag(help: "Wait until the task is final and its images are stored; show progress.") var wait = false
    @Option(name: .customLong("wait-timeout"), help: "Seconds to wait at most with --wait.") var waitTimeout: Double = 600
    @OptionGroup var client: ClientOptions

    public init() {}

    public func validate() throws {
        if let n, !(1...4).contains(n) { throw ValidationError("--n must be 1...4") }
        if let size {
            let parts = size.lowercased().split(separator: "x")
            guard parts.count == 2, parts.allSatisfy({ Int($0) != nil }) else { throw ValidationError("--size must be WxH, e.g. 1024x1024") }
        }
    }

    public func run() async throws {
        do {
            let api = try client.makeClient()
            var body: [String: Any] = ["model": "wan2.5-text-to-image", "prompt": prompt]
            if let size { body["size"] = size.lowercased() }
            if let n { body["n"] = n }
            if let callbackURL { body["callback_url"] = callbackURL }
            let key = idempotencyKey ?? UUID().uuidString.lowercased()
            let task = try await api.call("POST", "/v1/images/generations", body: body,
                                          headers: [("Idempotency-Key", key)])
            guard let id = task["id"] as? String else { throw CLIError.badAnswer("no task id") }
            if !wait {
                Console.out(client.json ? InternalAPIClient.jsonText(task) : "\(id) \(task["status"] as? String ?? "")")
                return
            }
            let final = try await Self.waitForTask(api, id: id, timeout: waitTimeout, showProgress: !client.json)
            if client.json {
                Console.out(InternalAPIClient.jsonText(final))
            } else {
                for url in TaskPrinter.storedURLs(final, base: api.baseURL) { Console.out(url) }
            }
            if final["status"] as? String != "completed" {
                Console.error("task \(id) ended \(final["status"] as? String ?? "?")")
                throw ExitCode.taskFailed
            }
            let images = final["images"] as? [[String: Any]] ?? []
            let missing = images.count - TaskPrinter.storedURLs(final).count
            if missing > 0 {
                Console.error("task \(id): \(missing) image(s) not stored; see `imagehookd show \(id)`, `imagehookd retry \(id)`")
                throw ExitCode.taskFailed
            }
        } catch let error as CLIError {
            Console.error("imagehookd submit: \(error)")
            throw error.exitCode
        }
    }

    /// Polls the task once a second (bounded by `timeout`), drawing the progress bar.
    static func waitForTask(_ api: InternalAPIClient, id: String, timeout: Double, showProgress: Bool) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let task = try await api.call("GET", "/v1/tasks/\(id)")
            let status = task["status"] as? String ?? "?"
            if showProgress {
                Console.progress(TaskPrinter.progressBar((task["progress"] as? NSNumber)?.intValue ?? 0, status: status))
            }
            if TaskPrinter.isSettled(task) {
                if showProgress { Console.endProgress() }
                return task
            }
            guard Date() < deadline else {
                if showProgress { Console.endProgress() }
                throw CLIError.api(status: 0, code: "timeout", message: "task \(id) not final after \(Int(timeout)) s")
            }
            try await Task.sleep(nanoseconds: 1_000_000_000)
        }
    }
}
