/// A secret value. Its descriptions are redacted so that string interpolation, `dump`,
/// or a log statement can never print it; only `reveal()` returns the bytes.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let value: String

    public init(_ value: String) { self.value = value }

    public func reveal() -> String { value }

    public var description: String { "[redacted]" }
    public var debugDescription: String { "Secret([redacted])" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
