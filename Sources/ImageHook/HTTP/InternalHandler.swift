import HTTP1
import HTTPServer

/// The internal listener: submit, task queries, images, ledger.
///
/// Routes: `POST /v1/images/generations` (bearer), `GET /v1/tasks` and
/// `GET /v1/tasks/{id}` (bearer), `GET|HEAD /v1/images/<sha256>.<ext>` (open: content
/// addressed, for whoever got the URL), `GET /v1/ledger` (bearer: the counters tell
/// an outsider how much is being generated and billed). Health and readiness are the
/// daemon's router's, and stay open.
public struct InternalHandler: HTTPRequestHandler {
    let context: ServiceContext
    let submitter: Submitter
    let query: QueryAPI
    let authenticator: CallerAuthenticator

    public func bodyLimit(for head: HTTPRequestHead) -> Int {
        head.method == "POST" && head.path == "/v1/images/generations" ? context.config.submitBodyLimit : 0
    }

    public func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
        let head = request.head
        let path = head.path
        if path.hasPrefix("/v1/images/") && path != "/v1/images/generations" {
            guard head.method == "GET" || head.method == "HEAD" else {
                responder.send(Responses.methodNotAllowed("GET, HEAD"))
                return
            }
            responder.send(query.image(name: path.dropFirst("/v1/images/".count), head: head))
            return
        }
        let isSubmit = path == "/v1/images/generations"
        let isTasks = path == "/v1/tasks" || path.hasPrefix("/v1/tasks/")
        let isLedger = path == "/v1/ledger"
        guard isSubmit || isTasks || isLedger else { responder.send(Responses.notFound); return }
        guard let caller = authenticator.caller(for: head.headers) else {
            responder.send(Responses.unauthorized)
            return
        }
        if isLedger {
            guard head.method == "GET" else { responder.send(Responses.methodNotAllowed("GET")); return }
            let query = self.query
            Task { responder.send(await query.ledger()) }
            return
        }
        if isSubmit {
            guard head.method == "POST" else { responder.send(Responses.methodNotAllowed("POST")); return }
            let submitter = self.submitter
            Task { responder.send(await submitter.handle(request, caller: caller)) }
            return
        }
        guard head.method == "GET" else { responder.send(Responses.methodNotAllowed("GET")); return }
        let query = self.query
        if path == "/v1/tasks" {
            let q = head.query
            Task { responder.send(await query.list(query: q)) }
        } else {
            let id = String(path.dropFirst("/v1/tasks/".count))
            Task { responder.send(await query.task(id: id)) }
        }
    }
}
