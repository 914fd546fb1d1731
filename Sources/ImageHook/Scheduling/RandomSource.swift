/// Injectable randomness so retry jitter is deterministic in tests.
public protocol RandomSource: Sendable {
    /// A uniformly distributed value in 0 ..< 1.
    func nextUnit() -> Double
}

/// The system generator.
public struct SystemRandomSource: RandomSource {
    public init() {}
    public func nextUnit() -> Double { Double.random(in: 0..<1) }
}

/// Always the same value; for tests.
public struct FixedRandomSource: RandomSource {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public func nextUnit() -> Double { value }
}
