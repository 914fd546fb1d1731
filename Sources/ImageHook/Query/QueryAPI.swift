import Foundation
import HTTP1
import HTTPServer
import Store

/// Read-only routes of the internal listener: tasks, images, ledger.
struct QueryAPI: Sendable {
    let context: ServiceContext

    /// `GET /v1/tasks/{id}`.
    /// Another caller's task answers exactly like an unknown one (404), for submitters.
    func task(id: String, caller: Caller) async -> HTTPServerResponse {
        let base = context.config.imageBaseURL
        do {
            let view: JSONValue? = try await context.database.read { db in
                guard let task = try TaskRepository.find(id: id, in: db), caller.maySee(owner: task.caller) else { return nil }
                return TaskView.build(task: task, jobs: try DownloadJobRepository.jobs(taskID: id, in: db), imageBaseURL: base)
            }
            guard let view else {
                return Responses.error(404, "task_not_found",
                                       "no task \(id.prefix(128)) (unknown, or removed by retention_tasks)")
            }
            return Responses.json(200, view)
        } catch {
            return Responses.unavailable(retryAfter: context.config.retryAfterSeconds)
        }
    }

    /// `GET /v1/tasks?status=&caller=&limit=&cursor=`: ordered by id; `next_cursor` is
    /// the last id of a full page. A submitter's list is always its own (`caller=` is
    /// only an admin's filter).
    func list(query: Substring?, caller: Caller) async -> HTTPServerResponse {
        var params = Self.parameters(query)
        if !caller.isAdmin { params["caller"] = caller.name }
        let config = context.config
        if let status = params["status"], TaskPhase(rawValue: status) == nil {
            return Responses.error(400, "invalid_parameter", "status must be one of pending, processing, completed, failed, cancelled")
        }
        var limit = config.listDefaultLimit
        if let text = params["limit"] {
            guard let n = Int(text), n >= 1 else { return Responses.error(400, "invalid_parameter", "limit must be a positive integer") }
            limit = min(n, config.listMaxLimit)
        }
        let base = config.imageBaseURL
        do {
            let (views, last): ([JSONValue], String?) = try await context.database.read { db in
                let tasks = try TaskRepository.list(status: params["status"], caller: params["caller"],
                                                    after: params["cursor"], limit: limit, in: db)
                let views = try tasks.map { t in
                    TaskView.build(task: t, jobs: try DownloadJobRepository.jobs(taskID: t.id, in: db), imageBaseURL: base)
                }
                return (views, tasks.count == limit ? tasks.last?.id : nil)
            }
            return Responses.json(200, .object([("object", .string("list")), ("data", .array(views)),
                                                ("next_cursor", .optional(last))]))
        } catch {
            return Responses.unavailable(retryAfter: config.retryAfterSeconds)
        }
    }

    /// `GET`/`HEAD /v1/images/<sha256>.<ext>`: content-addressed, so the ETag is the
    /// hash and the file never changes (immutable caching, RFC 8246).
    ///
    /// Content is shared: two callers' tasks that produced the same bytes point at the
    /// same file. A submitter may fetch it when one of its own tasks holds that image
    /// stored; anyone else gets 404 (an admin may fetch any).
    func image(name: Substring, head: HTTPRequestHead, caller: Caller) async -> HTTPServerResponse {
        let sha = String(name.prefix { $0 != "." })
        if !caller.isAdmin {
            let owned = try? await context.database.read {
                try DownloadJobRepository.isHeld(sha256: sha, byCaller: caller.name, in: $0)
            }
            guard let owned else { return Responses.unavailable(retryAfter: context.config.retryAfterSeconds) }
            guard owned else { return Responses.notFound }
        }
        let response = file(name: name, head: head)
        guard response.status == 404 else { return response }
        return await missingImage(name: name)
    }

    /// The stored file itself, or 404 when the name is malformed or the file absent.
    func file(name: Substring, head: HTTPRequestHead) -> HTTPServerResponse {
        let parts = name.split(separator: ".")
        guard parts.count == 2, parts[0].utf8.count == 64,
              parts[0].utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }),
              let type = Self.contentTypes[String(parts[1])],
              let path = context.images.path(sha256: String(parts[0]), ext: String(parts[1])),
              // Opened here, in the request's task, never on the connection's event loop:
              // a cold disk then delays this request only, not the loop's other ones.
              let opened = HTTPOpenedFile.open(path: path)
        else { return Responses.notFound }
        let size = opened.size
        let etag = "\"" + parts[0] + "\""
        var headers = HTTPHeaders()
        headers.add(name: "ETag", value: etag)
        headers.add(name: "Cache-Control", value: "public, max-age=31536000, immutable")
        // RFC 9110 §13.1.2: If-None-Match lists entity tags (or "*"); weak comparison.
        if let inm = head.headers["If-None-Match"] {
            let tags = inm.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if tags.contains("*") || tags.contains(where: { $0 == etag || $0 == "W/" + etag }) {
                return HTTPServerResponse(status: 304, headers: headers)
            }
        }
        headers.add(name: "Content-Type", value: type)
        return HTTPServerResponse(status: 200, headers: headers, body: .opened(opened, offset: 0, length: size))
    }

    /// 410 instead of 404 for an image that was stored and then deleted by image
    /// retention (its job says `removed`), so a caller can tell expiry from a bad URL.
    func missingImage(name: Substring) async -> HTTPServerResponse {
        let sha = String(name.prefix { $0 != "." })
        let removed = (try? await context.database.read { try RetentionRepository.wasRemoved(sha256: sha, in: $0) }) ?? false
        guard removed else { return Responses.notFound }
        return Responses.error(410, "image_removed", "image \(sha) was deleted by image retention (retention_images)")
    }

    static let contentTypes = ["png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"]

    /// `GET /v1/ledger`.
    func ledger() async -> HTTPServerResponse {
        do {
            let l = try await context.currentLedger()
            return Responses.json(200, l.json)
        } catch {
            return Responses.unavailable(retryAfter: context.config.retryAfterSeconds)
        }
    }

    static func parameters(_ query: Substring?) -> [String: String] {
        var out: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            guard let k = kv.first?.removingPercentEncoding else { continue }
            let v = kv.count > 1 ? (String(kv[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "") : ""
            if !v.isEmpty { out[k] = v }
        }
        return out
    }
}
