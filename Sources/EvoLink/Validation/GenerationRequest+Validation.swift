extension GenerationRequest {
    /// Checks every rule in PROVIDER.md, Submit, in field order, and throws the first violation.
    public func validate(limits: ValidationLimits = ValidationLimits()) throws(ValidationError) {
        // Seed: `model` enum has the single value wan2.5-text-to-image.
        guard model == Self.model else {
            throw .invalidValue(field: "model", reason: "must be \(Self.model)")
        }
        // Seed: `prompt` is required; an empty or blank prompt describes nothing.
        guard prompt.contains(where: { !$0.isWhitespace }) else {
            throw .invalidValue(field: "prompt", reason: "must not be empty")
        }
        guard prompt.unicodeScalars.count <= limits.maxPromptCharacters else {
            throw .invalidValue(field: "prompt",
                                reason: "must be at most \(limits.maxPromptCharacters) characters")
        }
        if let size { try Self.validate(size: size, limits: limits) }
        if let n, !(limits.minImages...limits.maxImages).contains(n) {
            throw .invalidValue(field: "n",
                                reason: "must be an integer in [\(limits.minImages), \(limits.maxImages)]")
        }
        if let callbackURL {
            do {
                _ = try CallbackURL(validating: callbackURL, limits: limits)
            } catch {
                throw .invalidValue(field: "callback_url", reason: error.description)
            }
        }
    }

    /// Seed, `size`: `WxH`, total pixels in [768x768, 1440x1440], aspect in [1/4, 4].
    /// Compared with integer cross-multiplication so no rounding can admit 4.0001.
    static func validate(size: String, limits: ValidationLimits) throws(ValidationError) {
        guard let s = ImageSize(parsing: size, maxDigits: limits.maxDimensionDigits),
              s.width > 0, s.height > 0 else {
            throw .invalidValue(field: "size", reason: "must be WIDTHxHEIGHT in pixels, e.g. 1280x1280")
        }
        guard s.pixels >= limits.minPixels, s.pixels <= limits.maxPixels else {
            throw .invalidValue(field: "size",
                                reason: "total pixels must be within [\(limits.minPixels), \(limits.maxPixels)]")
        }
        // W/H <= num/den  <=>  W*den <= H*num ; W/H >= den/num  <=>  W*num >= H*den
        let num = limits.maxAspectNumerator, den = limits.maxAspectDenominator
        guard s.width * den <= s.height * num, s.width * num >= s.height * den else {
            throw .invalidValue(field: "size", reason: "aspect ratio must be within [1/4, 4]")
        }
    }
}
