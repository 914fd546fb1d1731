import EvoLink

/// How many images a stored request asked for: the most download jobs a report may
/// create. The provider may return fewer (moderation), never legitimately more, and
/// every extra link would be one more fetch of a URL someone else chose.
enum RequestedImageCount {
    static func of(_ request: [UInt8], limits: ValidationLimits = ValidationLimits()) -> Int {
        // The provider documents no default for a missing `n`; the largest valid count
        // keeps an omitted `n` working without letting a report fan out further.
        guard case .number(let n)? = JSONValue.parse(request)?["n"], n.isFinite else { return limits.maxImages }
        return min(max(Int(n.rounded(.down)), limits.minImages), limits.maxImages)
    }
}
