/// One header field as received: the name keeps its original case (RFC 9110 §5.1 says
/// names are case-insensitive, so every lookup compares case-insensitively) and the
/// value has its surrounding optional whitespace removed (RFC 9112 §5).
public struct HTTPField: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
