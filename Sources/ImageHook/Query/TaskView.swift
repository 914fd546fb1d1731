import Store

/// A task as the service shows it (query API and relay): the provider's shape, from the
/// last applied report so unknown fields survive, with `results` rewritten to our own
/// stored images and our per-image state under `images`.
///
/// Never the file's place on the server's disk (callers reach images by URL), and the
/// provider's link only for an image without a stored copy, where it is the one way to
/// the image and what an operator needs to see why it failed.
enum TaskView {
    static func imageURL(base: String, sha256: String, ext: String) -> String {
        base + "/v1/images/" + sha256 + "." + ext
    }

    static func build(task: TaskRecord, jobs: [DownloadJobRecord], imageBaseURL: String) -> JSONValue {
        var view: JSONValue = task.lastBody.flatMap(JSONValue.parse) ?? .object([])
        if case .object = view {} else { view = .object([]) }
        view.set("id", .string(task.id))
        if view["created"] == nil { view.set("created", .int(task.created)) }
        view.set("status", .string(task.status))
        view.set("progress", .int(task.progress))
        let stored = jobs.filter { $0.state == .stored }.compactMap { job -> JSONValue? in
            guard let sha = job.sha256, let ext = job.ext else { return nil }
            return .string(imageURL(base: imageBaseURL, sha256: sha, ext: ext))
        }
        if task.status == "completed" || !stored.isEmpty { view.set("results", .array(stored)) }
        if let code = task.errorCode {
            view.set("error", .object([("code", .string(code)), ("message", .optional(task.errorMessage))]))
        }
        view.set("images", .array(jobs.map { job in
            var image: [(String, JSONValue)] = [("index", .int(job.index))]
            if job.state != .stored { image.append(("source_url", .string(job.url))) }
            image.append(("state", .string(job.state.rawValue)))
            image.append(("attempts", .int(job.attempts)))
            if let sha = job.sha256, let ext = job.ext {
                image.append(("sha256", .string(sha)))
                image.append(("url", .string(imageURL(base: imageBaseURL, sha256: sha, ext: ext))))
            }
            if let bytes = job.bytes { image.append(("bytes", .int(bytes))) }
            if let reason = job.reason { image.append(("reason", .string(reason))) }
            return .object(image)
        }))
        return view
    }
}
