import HTTP1
import HTTPServer

/// The public listener (behind the TLS proxy, exposed to the internet): only
/// `POST /v1/callbacks/<token>`.
public struct PublicHandler: HTTPRequestHandler {
    let receiver: CallbackReceiver
    let bodyLimitBytes: Int

    static let prefix = "/v1/callbacks/"

    public func bodyLimit(for head: HTTPRequestHead) -> Int {
        head.path.hasPrefix(Self.prefix) ? bodyLimitBytes : 0
    }

    public func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
        let path = request.head.path
        guard path.hasPrefix(Self.prefix) else {
            responder.send(Responses.notFound)
            return
        }
        guard request.head.method == "POST" else {
            responder.send(Responses.methodNotAllowed("POST"))
            return
        }
        let token = path.dropFirst(Self.prefix.count)
        let receiver = self.receiver
        let body = request.body
        Task { responder.send(await receiver.handle(token: token, body: body)) }
    }
}
