/// An authenticated internal caller: the name its token belongs to and its scope.
public struct Caller: Sendable, Hashable {
    public let name: String
    public let scope: CallerScope

    public init(name: String, scope: CallerScope) {
        self.name = name
        self.scope = scope
    }

    public var isAdmin: Bool { scope == .admin }

    /// Whether this caller may see work submitted by `owner`.
    public func maySee(owner: String) -> Bool { isAdmin || owner == name }
}
