import HTTP1

/// A response as produced by a handler. The server adds `Date`, `Content-Length`,
/// `Connection` and `X-Request-Id` itself and ignores any the handler set for them.
public struct HTTPServerResponse: Sendable, Equatable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: HTTPResponseBody

    public init(status: Int, headers: HTTPHeaders = [:], body: HTTPResponseBody = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON document with the given status.
    public static func json(_ status: Int, _ bytes: [UInt8]) -> HTTPServerResponse {
        HTTPServerResponse(status: status, headers: ["Content-Type": "application/json"],
                           body: .bytes(bytes))
    }

    /// `{"error":{"code":..,"message":..}}`, the one error shape every endpoint uses.
    public static func error(_ status: Int, code: String, message: String) -> HTTPServerResponse {
        var body: [UInt8] = []
        body.reserveCapacity(32 + code.utf8.count + message.utf8.count)
        body.append(contentsOf: #"{"error":{"code":"#.utf8)
        JSONString.append(code, to: &body)
        body.append(contentsOf: #","message":"#.utf8)
        JSONString.append(message, to: &body)
        body.append(contentsOf: "}}".utf8)
        return json(status, body)
    }

    /// The error response the server itself sends when a request is rejected before
    /// any handler sees it (timeouts, connection limit).
    static func serverError(_ status: Int) -> HTTPServerResponse {
        let message = switch status {
        case 408: "request not received in time"
        case 503: "server busy, retry later"
        default: HTTPStatus.reasonPhrase(status)
        }
        return error(status, code: errorCode(status), message: message)
    }

    /// The parse error's status with its human message (the parser's own wording,
    /// never the client's bytes).
    static func parseError(_ error: HTTPParseError) -> HTTPServerResponse {
        HTTPServerResponse.error(error.status, code: errorCode(error.status), message: error.description)
    }

    private static func errorCode(_ status: Int) -> String {
        switch status {
        case 400: "bad_request"
        case 408: "request_timeout"
        case 413: "payload_too_large"
        case 414: "uri_too_long"
        case 431: "header_fields_too_large"
        case 500: "internal_error"
        case 501: "not_implemented"
        case 503: "service_unavailable"
        case 505: "version_not_supported"
        default: "error"
        }
    }
}
