/// A parsed `size` value: `WxH` in pixels, ASCII digits and a lowercase `x` only
/// (PROVIDER.md, `size`: "Width x Height, such as `768x768`").
public struct ImageSize: Sendable, Hashable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Parses `WxH`; nil for anything else (spaces, signs, `X`, `*`, empty parts, more
    /// than `maxDigits` digits per side).
    public init?(parsing text: String, maxDigits: Int = 6) {
        let parts = text.utf8.split(separator: UInt8(ascii: "x"), omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        var values: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= maxDigits else { return nil }
            var v = 0
            for b in part {
                guard b >= 0x30 && b <= 0x39 else { return nil }
                v = v * 10 + Int(b - 0x30)
            }
            values.append(v)
        }
        width = values[0]
        height = values[1]
    }

    public var pixels: Int { width * height }

    public var description: String { "\(width)x\(height)" }
}
