import EvoLink
import HTTP1

/// A response decided by the core, possibly to be sent only after `delay` seconds.
public struct SimResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Seconds to hold the response back (slow-image fault).
    public var delay: Double = 0

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func json(_ status: Int, _ body: [UInt8]) -> SimResponse {
        SimResponse(status: status, headers: ["Content-Type": "application/json"], body: body)
    }

    /// The provider's error envelope (PROVIDER.md, Errors).
    static func error(_ status: Int, code: String, message: String, type: String,
                      param: String? = nil) -> SimResponse {
        json(status, APIErrorEnvelope(code: code, message: message, type: type, param: param).encoded())
    }
}
