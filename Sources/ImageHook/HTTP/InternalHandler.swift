import HTTP1
import HTTPServer

/// The internal listener: submit, task queries, images, ledger.
///
/// Routes: `POST /v1/images/generations`, `GET /v1/tasks`, `GET /v1/tasks/{id}` and
/// `GET|HEAD /v1/images/<sha256>.<ext>`, all bearer-authenticated and scoped (a
/// submitter sees only its own tasks and their images; see `CallerScope`);
/// `GET|POST /v1/redrive/relays|images` (admin); `GET /v1/ledger` (bearer, any scope:
/// the counters tell an outsider how much is being generated and billed). Health and
/// readiness are the daemon's router's, and stay open.
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
        let isSubmit = path == "/v1/images/generations"
        let isTasks = path == "/v1/tasks" || path.hasPrefix("/v1/tasks/")
        let isImage = path.hasPrefix("/v1/images/") && !isSubmit
        let isLedger = path == "/v1/ledger"
        let redriveKind = path.hasPrefix("/v1/redrive/") ? RedriveAPI.Kind(rawValue: String(path.dropFirst("/v1/redrive/".count))) : nil
        guard isSubmit || isTasks || isImage || isLedger || redriveKind != nil else {
            responder.send(Responses.notFound)
            return
        }
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
        if let redriveKind {
            guard head.method == "GET" || head.method == "POST" else {
                responder.send(Responses.methodNotAllowed("GET, POST"))
                return
            }
            // Operators' work across callers: not task data a submitter may probe.
            guard caller.isAdmin else {
                responder.send(Responses.error(403, "forbidden", "re-drive needs an admin token"))
                return
            }
            let (redrive, method, q) = (RedriveAPI(context: context), head.method, head.query)
            Task { responder.send(await redrive.handle(kind: redriveKind, method: method, query: q)) }
            return
        }
        if isImage {
            guard head.method == "GET" || head.method == "HEAD" else {
                responder.send(Responses.methodNotAllowed("GET, HEAD"))
                return
            }
            let name = path.dropFirst("/v1/images/".count)
            let query = self.query
            Task { responder.send(await query.image(name: name, head: head, caller: caller)) }
            return
        }
        if isSubmit {
            guard head.method == "POST" else { responder.send(Responses.methodNotAllowed("POST")); return }
            let submitter = self.submitter
            Task { responder.send(await submitter.handle(request, caller: caller.name)) }
            return
        }
        guard head.method == "GET" else { responder.send(Responses.methodNotAllowed("GET")); return }
        let query = self.query
        if path == "/v1/tasks" {
            let q = head.query
            Task { responder.send(await query.list(query: q, caller: caller)) }
        } else {
            let id = String(path.dropFirst("/v1/tasks/".count))
            Task { responder.send(await query.task(id: id, caller: caller)) }
        }
    }
}
