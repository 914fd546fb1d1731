import Foundation

/// Wall-clock time in unix seconds, injectable so tests can move past link expiry.
public protocol ServiceClock: Sendable {
    func now() -> Double
}

public struct SystemClock: ServiceClock {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
}
