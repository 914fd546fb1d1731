/// Bounds on what verification will decode, so a small file cannot make it spend
/// unbounded CPU (a PNG "decompression bomb" declares a huge canvas).
public struct ImageVerificationLimits: Sendable, Equatable {
    /// Most pixels (width x height) an image may declare.
    public var maxPixels: Int
    /// Most bytes PNG image data may inflate to (filter bytes included).
    public var maxDecodedBytes: Int

    public init(maxPixels: Int = 100_000_000, maxDecodedBytes: Int = 1 << 30) {
        self.maxPixels = maxPixels
        self.maxDecodedBytes = maxDecodedBytes
    }
}
