import Foundation

/// The provider's HTTP error body: `{"error":{"code","message","type","param"}}` (PROVIDER.md,
/// Errors). `code` may be a string or an
/// integer on older deployments, normalised to a string.
public struct APIErrorEnvelope: Sendable, Hashable, Codable {
    public var error: APIError

    public init(error: APIError) { self.error = error }

    public init(code: String, message: String, type: String, param: String? = nil) {
        self.error = APIError(code: code, message: message, type: type, param: param)
    }

    /// Best-effort decode of an error body; nil when it is not the envelope (a proxy's
    /// HTML page, an empty body).
    public static func decode(_ bytes: [UInt8]) -> APIErrorEnvelope? {
        try? JSONDecoder().decode(APIErrorEnvelope.self, from: Data(bytes))
    }

    public func encoded() -> [UInt8] { WireJSON.encode(self) }
}
