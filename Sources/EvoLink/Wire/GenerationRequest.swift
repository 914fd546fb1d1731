import Foundation

/// The body of `POST /v1/images/generations` for `wan2.5-text-to-image` (PROVIDER.md,
/// `Wan25TextToImageRequest`).
///
/// Unknown fields are ignored, as the provider's schema does not forbid additional
/// properties; the typed fields are strict about their JSON type (`n` must be an
/// integer, not `2.5`, `"2"` or `true`; `prompt_extend` must be a boolean).
public struct GenerationRequest: Sendable, Hashable, Codable {
    public var model: String
    public var prompt: String
    /// `WxH` in pixels; no default is documented, the provider picks one when absent.
    public var size: String?
    /// Images to generate, 1...4; the request is pre-charged for `n`.
    public var n: Int?
    /// Prompt rewriting by a language model; provider default `true`.
    public var promptExtend: Bool?
    /// HTTPS URL the provider POSTs the task to on terminal states.
    public var callbackURL: String?

    /// The only model this request shape is for.
    public static let model = "wan2.5-text-to-image"

    public init(model: String = GenerationRequest.model, prompt: String, size: String? = nil,
                n: Int? = nil, promptExtend: Bool? = nil, callbackURL: String? = nil) {
        self.model = model
        self.prompt = prompt
        self.size = size
        self.n = n
        self.promptExtend = promptExtend
        self.callbackURL = callbackURL
    }

    /// `n` with the provider's default of 1 applied.
    public var imageCount: Int { n ?? 1 }

    enum CodingKeys: String, CodingKey {
        case model, prompt, size, n
        case promptExtend = "prompt_extend"
        case callbackURL = "callback_url"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decode(String.self, forKey: .model)
        prompt = try c.decode(String.self, forKey: .prompt)
        size = try c.decodeIfPresent(String.self, forKey: .size)
        n = try c.decodeStrictInteger(forKey: .n)
        promptExtend = try c.decodeIfPresent(Bool.self, forKey: .promptExtend)
        callbackURL = try c.decodeIfPresent(String.self, forKey: .callbackURL)
    }

    /// Decodes and validates a submit body, reporting the first offending field the way
    /// the provider does (400 with the envelope naming `param`).
    public static func decodeValidated(_ bytes: [UInt8],
                                       limits: ValidationLimits = ValidationLimits())
        throws(ValidationError) -> GenerationRequest {
        let request: GenerationRequest
        do {
            request = try JSONDecoder().decode(GenerationRequest.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw ValidationError(WireDecodingError(error))
        } catch {
            throw .malformedBody(String(describing: error))
        }
        try request.validate(limits: limits)
        return request
    }

    /// The body sent to the provider (nil fields omitted, stable key order).
    public func encoded() -> [UInt8] { WireJSON.encode(self) }
}
