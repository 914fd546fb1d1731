import Dispatch
import HTTP1
import HTTPServer

/// A handler built from a closure, with a configurable body limit.
struct TestHandler: HTTPRequestHandler {
    var limit = HTTPServerConfiguration.defaultBodyLimit
    var respond: @Sendable (HTTPServerRequest, HTTPResponder) -> Void

    func bodyLimit(for head: HTTPRequestHead) -> Int { limit }

    func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
        respond(request, responder)
    }

    /// Echoes the path, method and body; `/slow` answers after 300 ms from another queue.
    static let echo = TestHandler { request, responder in
        var response = HTTPServerResponse(status: 200, headers: ["X-Path": String(request.head.path)],
                                          body: .bytes(request.body))
        response.headers.add(name: "X-Method", value: request.head.method)
        if request.head.path.hasPrefix("/slow") {
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { [response] in responder.send(response) }
        } else {
            responder.send(response)
        }
    }
}
