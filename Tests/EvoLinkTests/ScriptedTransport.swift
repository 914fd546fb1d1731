import HTTP1
import HTTPClient
import Support
@testable import EvoLink

/// A transport that answers from a script and records what it was asked, for testing
/// the status mapping without sockets.
final class ScriptedTransport: EvoLinkTransport {
    enum Step: Sendable {
        case respond(Int, [(String, String)], String)
        case fail(HTTPClientError)
    }

    private let state: Locked<(steps: [Step], seen: [HTTPClientRequest])>

    init(_ steps: [Step]) { state = Locked((steps, [])) }

    var requests: [HTTPClientRequest] { state.withLock { $0.seen } }

    func execute(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse {
        let step: Step = state.withLock { s in
            s.seen.append(request)
            return s.steps.isEmpty ? .fail(.io("script exhausted")) : s.steps.removeFirst()
        }
        switch step {
        case .respond(let status, let headers, let body):
            return HTTPClientResponse(status: status, headers: HTTPHeaders(headers),
                                      body: Array(body.utf8), url: request.url)
        case .fail(let e):
            throw e
        }
    }
}
