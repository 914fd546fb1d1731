import HTTP1
import HTTPServer

/// The service's answers, in one place so every error has the provider's envelope.
enum Responses {
    static func json(_ status: Int, _ value: JSONValue) -> HTTPServerResponse {
        .json(status, value.encoded())
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> HTTPServerResponse {
        .error(status, code: code, message: message)
    }

    /// 503 with Retry-After: the store cannot take the write now (full disk, I/O
    /// error). Never a 2xx: the caller (or the provider's retry) must come back.
    static func unavailable(retryAfter: Int, _ message: String = "storage temporarily unavailable") -> HTTPServerResponse {
        var r = error(503, "service_unavailable", message)
        r.headers.replaceOrAdd(name: "Retry-After", value: String(retryAfter))
        return r
    }

    static func withRetryAfter(_ response: HTTPServerResponse, _ seconds: Int) -> HTTPServerResponse {
        var r = response
        r.headers.replaceOrAdd(name: "Retry-After", value: String(seconds))
        return r
    }

    static let notFound = error(404, "not_found", "no such resource")
    static let unauthorized: HTTPServerResponse = {
        var r = error(401, "unauthorized", "missing or invalid bearer token")
        r.headers.replaceOrAdd(name: "WWW-Authenticate", value: "Bearer")
        return r
    }()

    static func methodNotAllowed(_ allowed: String) -> HTTPServerResponse {
        var r = error(405, "method_not_allowed", "use \(allowed)")
        r.headers.replaceOrAdd(name: "Allow", value: allowed)
        return r
    }
}
