import Foundation
import HTTP1
import HTTPServer

/// The handler of one listener: answers the daemon's own routes (/healthz on both;
/// /readyz and /metrics on the internal listener only) and hands everything else to the
/// service, after replacing the peer address with the trusted proxy's word for it.
public struct DaemonRouter: HTTPRequestHandler {
    public enum Role: String, Sendable, CaseIterable { case `public`, `internal` }

    let role: Role
    let slot: HandlerSlot
    let settings: RuntimeSettings
    let metrics: MetricsRegistry
    let provider: ProviderKind
    let dataDir: String
    let storeProblem: @Sendable () async -> String?
    let serviceMetrics: @Sendable () async -> [MetricsRegistry.Sample]

    /// Bodies on the daemon's own GET routes are refused early.
    static let ownRouteBodyLimit = 1024
    static let healthBody = Array(#"{"status":"ok"}"#.utf8)

    public init(role: Role, slot: HandlerSlot, settings: RuntimeSettings, metrics: MetricsRegistry,
                provider: ProviderKind, dataDir: String, storeProblem: @escaping @Sendable () async -> String?,
                serviceMetrics: @escaping @Sendable () async -> [MetricsRegistry.Sample] = { [] }) {
        self.role = role
        self.slot = slot
        self.settings = settings
        self.metrics = metrics
        self.provider = provider
        self.dataDir = dataDir
        self.storeProblem = storeProblem
        self.serviceMetrics = serviceMetrics
    }

    /// Asked twice per request (body limit, then handling), so it only compares the
    /// path in place, without splitting the target into new strings.
    func ownRoute(_ head: HTTPRequestHead) -> String? {
        let target = head.target
        let path = target.utf8.firstIndex(of: UInt8(ascii: "?")).map { target[..<$0] } ?? target[...]
        switch (role, path) {
        case (_, "/healthz"): return "healthz"
        case (.internal, "/readyz"): return "readyz"
        case (.internal, "/metrics"): return "metrics"
        default: return nil
        }
    }

    public func bodyLimit(for head: HTTPRequestHead) -> Int {
        if ownRoute(head) != nil { return Self.ownRouteBodyLimit }
        let values = settings.current
        let cap = role == .public ? values.callbackMaxBodyBytes : values.maxBodyBytes
        guard let service = slot.current.handler else { return Self.ownRouteBodyLimit }
        return min(service.bodyLimit(for: head), cap)
    }

    public func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
        if let route = ownRoute(request.head) {
            guard request.head.method == "GET" || request.head.method == "HEAD" else {
                var response = HTTPServerResponse.error(405, code: "method_not_allowed", message: "use GET")
                response.headers.add(name: "Allow", value: "GET, HEAD")
                responder.send(response)
                return
            }
            switch route {
            case "healthz":
                responder.send(.json(200, Self.healthBody))
            case "metrics":
                let (metrics, serviceMetrics) = (self.metrics, self.serviceMetrics)
                Task {
                    let extra = await serviceMetrics()
                    var response = HTTPServerResponse(status: 200, body: .bytes(Array(metrics.render(extra: extra).utf8)))
                    response.headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
                    response.headers.add(name: "Cache-Control", value: "no-store")
                    responder.send(response)
                }
            default:
                let probe = ReadinessProbe(settings: settings, provider: provider, dataDir: dataDir, storeProblem: storeProblem)
                Task {
                    let report = await probe.check()
                    responder.send(.json(report.ready ? 200 : 503, report.json))
                }
            }
            return
        }
        let (ready, handler) = slot.current
        guard ready else {
            var response = HTTPServerResponse.error(503, code: "starting", message: "the daemon is starting; retry shortly")
            response.headers.add(name: "Retry-After", value: "1")
            responder.send(response)
            return
        }
        guard let service = handler else {
            responder.send(.error(404, code: "not_found", message: "no such route"))
            return
        }
        let values = settings.current
        if role == .internal, let target = TaskActions.target(request.head), let actions = slot.taskActions {
            perform(target.action, id: target.id, request: request, actions: actions, responder: responder)
            return
        }
        var forwarded = request
        if let header = values.clientAddress.header {
            forwarded.remoteAddress = values.clientAddress.resolve(peer: request.remoteAddress,
                                                                   headerValues: request.head.headers.values(header))
        }
        service.handle(forwarded, responder: responder)
    }

    /// `POST /v1/tasks/{id}/retry|replay`: bearer-authenticated like the service's routes.
    func perform(_ action: String, id: String, request: HTTPServerRequest, actions: TaskActions,
                 responder: HTTPResponder) {
        guard request.head.method == "POST" else {
            var response = HTTPServerResponse.error(405, code: "method_not_allowed", message: "use POST")
            response.headers.add(name: "Allow", value: "POST")
            responder.send(response)
            return
        }
        guard actions.isAuthorized(request.head.headers) else {
            var response = HTTPServerResponse.error(401, code: "unauthorized", message: "missing or invalid bearer token")
            response.headers.add(name: "WWW-Authenticate", value: "Bearer")
            responder.send(response)
            return
        }
        Task {
            do {
                let quotedID = ReadinessProbe.Report.quote(id)
                if action == "retry" {
                    guard let count = try await actions.retryDownloads(id) else {
                        responder.send(.error(404, code: "task_not_found", message: "no task \(id)"))
                        return
                    }
                    responder.send(.json(200, Array(#"{"id":\#(quotedID),"requeued":\#(count)}"#.utf8)))
                } else {
                    guard let statuses = try await actions.replayCallbacks(id) else {
                        responder.send(.error(404, code: "task_not_found", message: "no task \(id)"))
                        return
                    }
                    let list = statuses.map(String.init).joined(separator: ",")
                    responder.send(.json(200, Array(#"{"id":\#(quotedID),"replayed":\#(statuses.count),"statuses":[\#(list)]}"#.utf8)))
                }
            } catch {
                var response = HTTPServerResponse.error(503, code: "service_unavailable", message: "storage temporarily unavailable")
                response.headers.add(name: "Retry-After", value: "2")
                responder.send(response)
            }
        }
    }
}
