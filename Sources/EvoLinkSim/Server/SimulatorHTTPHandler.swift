import HTTP1
import HTTPServer

/// Adapts HTTPServer requests to the simulator's core.
struct SimulatorHTTPHandler: HTTPRequestHandler {
    let engine: SimulatorEngine

    func bodyLimit(for head: HTTPRequestHead) -> Int {
        engine.configuration.maxRequestBodyBytes
    }

    func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
        let sim = SimRequest(method: request.head.method, target: request.head.target,
                             headers: request.head.headers, body: request.body)
        engine.handle(sim) { response in
            responder.send(HTTPServerResponse(status: response.status, headers: response.headers,
                                              body: response.body.isEmpty ? .empty : .bytes(response.body)))
        }
    }
}
