/// Why a submit was refused, naming the field. Rendered as the provider's 400 envelope
/// (PROVIDER.md: code `invalid_request`, type `invalid_request_error`) plus `param`.
public enum ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The body is not a JSON object.
    case malformedBody(String)
    /// A required field is absent or null.
    case missing(field: String)
    /// A field has the wrong JSON type.
    case wrongType(field: String, expected: String)
    /// A field is well typed but its value breaks a rule.
    case invalidValue(field: String, reason: String)

    init(_ error: WireDecodingError) {
        switch error {
        case .malformed(let why): self = .malformedBody(why)
        case .missingField(let f): self = .missing(field: f)
        case .invalidField(let f, _):
            self = .wrongType(field: f, expected: Self.expectedType[f] ?? "a valid value")
        }
    }

    private static let expectedType: [String: String] = [
        "model": "a string", "prompt": "a string", "size": "a string",
        "n": "an integer", "prompt_extend": "a boolean", "callback_url": "a string",
    ]

    /// The error code the provider uses for request validation (PROVIDER.md, 400 example).
    public static let code = "invalid_request"
    public static let type = "invalid_request_error"

    public var field: String? {
        switch self {
        case .malformedBody: nil
        case .missing(let f), .wrongType(let f, _), .invalidValue(let f, _): f
        }
    }

    public var description: String {
        switch self {
        case .malformedBody(let why): "request body must be a JSON object: \(why)"
        case .missing(let f): "\(f) is required"
        case .wrongType(let f, let expected): "\(f) must be \(expected)"
        case .invalidValue(let f, let reason): "\(f) \(reason)"
        }
    }

    /// The provider-style error body for this failure.
    public var envelope: APIErrorEnvelope {
        APIErrorEnvelope(code: Self.code, message: description, type: Self.type, param: field)
    }
}
