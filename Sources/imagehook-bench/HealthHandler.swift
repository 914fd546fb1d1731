import HTTP1
import HTTPServer

/// The smallest useful handler: `GET /healthz` -> 200 `ok`, anything else 404. It
/// measures the HTTP layer alone (parsing, connection handling, response encoding).
struct HealthHandler: HTTPRequestHandler {
    private static let ok = HTTPServerResponse(status: 200, headers: ["Content-Type": "text/plain"],
                                               body: .bytes(Array("ok\n".utf8)))

    func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
        if request.head.path == "/healthz" {
            responder.send(Self.ok)
        } else {
            responder.send(.error(404, code: "not_found", message: "no such route"))
        }
    }
}
