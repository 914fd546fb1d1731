import HTTPServer
import Store

/// Operator re-drive on the internal listener (admin scope):
/// `GET /v1/redrive/relays|images?task=&caller=&since=&until=&limit=` lists given-up
/// relays or failed images; `POST` with the same filters puts every match back to work
/// (one with `task=`, or in bulk). Times are unix seconds of the give-up.
struct RedriveAPI: Sendable {
    let context: ServiceContext

    enum Kind: String, Sendable { case relays, images }

    func handle(kind: Kind, method: String, query: Substring?) async -> HTTPServerResponse {
        let params = QueryAPI.parameters(query)
        var filter = RedriveRepository.Filter(taskID: params["task"], caller: params["caller"],
                                              limit: context.config.listDefaultLimit)
        for (name, path) in [("since", \RedriveRepository.Filter.since), ("until", \RedriveRepository.Filter.until)] {
            guard let text = params[name] else { continue }
            guard let value = Double(text), value.isFinite else {
                return Responses.error(400, "invalid_parameter", "\(name) must be unix seconds")
            }
            filter[keyPath: path] = value
        }
        if let text = params["limit"] {
            guard let n = Int(text), n >= 1 else { return Responses.error(400, "invalid_parameter", "limit must be a positive integer") }
            filter.limit = min(n, context.config.listMaxLimit)
        }
        let now = context.clock.now()
        let redrive = method == "POST"
        let query = filter
        do {
            let (items, done): ([RedriveRepository.Item], Int)
            if !redrive {
                items = try await context.database.read { db in
                    kind == .relays ? try RedriveRepository.givenUpRelays(query, in: db)
                        : try RedriveRepository.failedImages(query, in: db)
                }
                done = 0
            } else {
                (items, done) = try await context.database.write { tx in
                let items = kind == .relays ? try RedriveRepository.givenUpRelays(query, in: tx)
                    : try RedriveRepository.failedImages(query, in: tx)
                var done = 0
                for item in items {
                    let changed = kind == .relays ? try RedriveRepository.redriveRelay(taskID: item.taskID, now: now, in: tx)
                        : try RedriveRepository.redriveImage(taskID: item.taskID, index: item.index ?? 0, now: now, in: tx)
                    if changed { done += 1 }
                }
                return (items, done)
                }
            }
            if redrive {
                if kind == .relays { context.relayWakeup.signal() } else { context.downloadsWakeup.signal() }
                context.logger.notice("re-driven by an operator", metadata: ["kind": "\(kind.rawValue)", "count": "\(done)"])
            }
            var fields: [(String, JSONValue)] = [("object", .string("list")), ("data", .array(items.map(Self.json)))]
            if redrive { fields.append(("redriven", .int(done))) }
            return Responses.json(200, .object(fields))
        } catch {
            return Responses.unavailable(retryAfter: context.config.retryAfterSeconds)
        }
    }

    static func json(_ i: RedriveRepository.Item) -> JSONValue {
        var fields: [(String, JSONValue)] = [("task_id", .string(i.taskID)), ("caller", .string(i.caller))]
        if let index = i.index { fields.append(("index", .int(index))) }
        fields.append(("url", .string(i.url)))
        if let id = i.webhookID { fields.append(("webhook_id", .string(id))) }
        fields += [("attempts", .int(i.attempts)), ("reason", .optional(i.reason)), ("at", .number(i.at))]
        return .object(fields)
    }
}
