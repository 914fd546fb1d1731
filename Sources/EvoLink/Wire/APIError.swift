/// The object inside `APIErrorEnvelope`.
public struct APIError: Sendable, Hashable, Codable {
    public var code: String?
    public var message: String?
    public var type: String?
    /// The request field the error is about, when there is one.
    public var param: String?

    public init(code: String?, message: String?, type: String?, param: String? = nil) {
        self.code = code
        self.message = message
        self.type = type
        self.param = param
    }

    enum CodingKeys: String, CodingKey { case code, message, type, param }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decodeStringOrInteger(forKey: .code)
        message = try? c.decodeIfPresent(String.self, forKey: .message)
        type = try? c.decodeIfPresent(String.self, forKey: .type)
        param = try? c.decodeIfPresent(String.self, forKey: .param)
    }
}
