/// The provider's limits (PROVIDER.md, Submit) for a wan2.5 submit, named so tests and the simulator can refer to
/// them. Defaults are exactly the documented values.
public struct ValidationLimits: Sendable, Hashable {
    /// Prompt limit. The provider documents 2000 tokens (an older page said 1000
    /// characters); a token spans at least one character, so at most 2000 characters
    /// (Unicode scalars) never exceeds 2000 tokens. Enforced on characters.
    public var maxPromptCharacters: Int = 2000
    /// Total pixel range `[768x768, 1440x1440]` (PROVIDER.md, `size`).
    public var minPixels: Int = 768 * 768
    public var maxPixels: Int = 1440 * 1440
    /// Aspect ratio range `[1/4, 4]` as a fraction, compared by cross-multiplication.
    public var maxAspectNumerator: Int = 4
    public var maxAspectDenominator: Int = 1
    /// `n` in `[1, 4]`.
    public var minImages: Int = 1
    public var maxImages: Int = 4
    /// `callback_url` at most 2048 characters.
    public var maxCallbackURLLength: Int = 2048
    /// Whether callback URLs may use `http` and point at internal addresses. Only the
    /// simulator's explicit local-development flag turns this on.
    public var allowInsecureCallbacks: Bool = false
    /// Digits accepted per dimension; keeps the product far from overflow.
    public var maxDimensionDigits: Int = 6

    public init() {}
}
