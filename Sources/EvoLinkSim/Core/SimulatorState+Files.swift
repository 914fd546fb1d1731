extension SimulatorState {
    /// `GET /files/<task>/<i>.png`: a result link. Works for `resultTTL` after the task
    /// was created (PROVIDER.md: "Generated image links are valid for 24 hours"), then answers
    /// `expiredLinkStatus`.
    mutating func file(segments: [String], now: Double) -> Outcome {
        let notFound = SimResponse(status: 404, headers: ["Content-Type": "text/plain"], body: Array("not found\n".utf8))
        guard segments.count == 2, segments[1].hasSuffix(".png"),
              let index = Int(segments[1].dropLast(4)), String(index) + ".png" == segments[1],
              let task = tasks[segments[0]] else { return .respond(notFound, []) }
        let (status, _) = task.timeline.state(at: now, outcome: task.outcome)
        guard status == .completed, index >= 0, index < task.resultCount else { return .respond(notFound, []) }
        if now >= task.timeline.created + configuration.resultTTL {
            stats.imagesExpired += 1
            let code = configuration.expiredLinkStatus
            return .respond(SimResponse(status: code, headers: ["Content-Type": "application/xml"],
                                        body: Array("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>".utf8)), [])
        }
        var fault = task.faults.image
        if fault == nil {
            let dice: [(Double, ImageFault)] = [
                (rates.imageServerError, .serverError), (rates.imageForbidden, .forbidden),
                (rates.imageSlow, .slow), (rates.imageTruncated, .truncated),
                (rates.imageWrongContentType, .wrongContentType), (rates.imageCorrupt, .corrupt),
            ]
            fault = dice.first { random.chance($0.0) }?.1
        }
        if fault != nil { stats.imagesFaulted += 1 }
        switch fault {
        case .serverError?:
            return .respond(SimResponse(status: 503, headers: ["Content-Type": "text/html"],
                                        body: Array("<html><body>503 Service Unavailable</body></html>".utf8)), [])
        case .cutConnection? where cutBaseURL != nil:
            // Reached through the regular listener (link rewritten after it was handed
            // out): point the client at the cutting listener.
            return .respond(SimResponse(status: 307, headers: ["Location": "\(cutBaseURL!)/files/\(task.id)/\(index).png"]), [])
        case .forbidden?:
            return .respond(SimResponse(status: 403, headers: ["Content-Type": "application/xml"],
                                        body: Array("<Error><Code>AccessDenied</Code></Error>".utf8)), [])
        default:
            stats.imagesServed += 1
            return .image(ImageJob(taskID: task.id, prompt: task.request.prompt, index: index,
                                   width: task.size.width, height: task.size.height, fault: fault,
                                   delay: fault == .slow ? configuration.scaled(rates.slowImageDelay) : 0))
        }
    }
}
