/// A provider body that could not be understood: which field, and why.
public enum WireDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not JSON, or not the expected top-level shape.
    case malformed(String)
    /// A required field is absent or null.
    case missingField(String)
    /// A field has the wrong JSON type or an unknown value (e.g. an unknown status).
    case invalidField(String, String)

    init(_ error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let ctx):
            self = .missingField(Self.path(ctx.codingPath + [key]))
        case .valueNotFound(_, let ctx):
            self = .missingField(Self.path(ctx.codingPath))
        case .typeMismatch(_, let ctx), .dataCorrupted(let ctx):
            if ctx.codingPath.isEmpty {
                self = .malformed(ctx.debugDescription)
            } else {
                self = .invalidField(Self.path(ctx.codingPath), ctx.debugDescription)
            }
        @unknown default:
            self = .malformed(String(describing: error))
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// The first field named in the error, if any.
    public var field: String? {
        switch self {
        case .malformed: nil
        case .missingField(let f), .invalidField(let f, _): f
        }
    }

    public var description: String {
        switch self {
        case .malformed(let why): "malformed JSON body: \(why)"
        case .missingField(let f): "required field '\(f)' is missing or null"
        case .invalidField(let f, let why): "field '\(f)' is invalid: \(why)"
        }
    }
}
