/// What the provider said when it answered an HTTP error: status, the envelope's
/// fields (when the body was one), its request id, and the raw body for the record.
public struct ProviderErrorInfo: Sendable, Hashable, CustomStringConvertible {
    public var status: Int
    public var code: String?
    public var message: String?
    public var type: String?
    public var param: String?
    /// `x-request-id` or `x-oneapi-request-id`, for support tickets.
    public var requestID: String?
    public var raw: [UInt8]

    public init(status: Int, code: String? = nil, message: String? = nil, type: String? = nil,
                param: String? = nil, requestID: String? = nil, raw: [UInt8] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.type = type
        self.param = param
        self.requestID = requestID
        self.raw = raw
    }

    init(status: Int, body: [UInt8], requestID: String?) {
        let e = APIErrorEnvelope.decode(body)?.error
        self.init(status: status, code: e?.code, message: e?.message, type: e?.type,
                  param: e?.param, requestID: requestID, raw: body)
    }

    public var description: String {
        var s = "HTTP \(status)"
        if let code { s += " \(code)" }
        if let message { s += ": \(message)" }
        if let param { s += " (param \(param))" }
        if let requestID { s += " [request \(requestID)]" }
        return s
    }
}
