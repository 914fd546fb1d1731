import HTTP1
import Support

/// Attributes an internal request to a caller by `Authorization: Bearer <token>`
/// (RFC 6750 §2.1). Every configured token is compared, in constant time, whatever
/// matched first, so answer times say nothing about which prefix was right.
///
/// The token set can be replaced while serving (SIGHUP re-reads the tokens file), so it
/// lives behind a lock shared by every copy of this value: a revoked token is refused
/// and an added one accepted from the next request on, with no second list to consult.
struct CallerAuthenticator: Sendable {
    private let tokens: Locked<[(caller: Caller, token: [UInt8])]>

    /// `scopes` names each caller's scope; a caller missing there is a submitter.
    init(tokens: [String: String], scopes: [String: CallerScope] = [:]) {
        self.tokens = Locked(Self.entries(tokens, scopes))
    }

    /// Replaces the whole token set at once (`name -> token`, `name -> scope`).
    func replace(tokens: [String: String], scopes: [String: CallerScope]) {
        let fresh = Self.entries(tokens, scopes)
        self.tokens.withLock { $0 = fresh }
    }

    func caller(for headers: HTTPHeaders) -> Caller? {
        guard let value = headers["Authorization"] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let presented = Array(parts[1].utf8)
        let current = tokens.withLock { $0 }
        var found: Caller?
        for entry in current where ConstantTime.equals(entry.token, presented) && found == nil {
            found = entry.caller
        }
        return found
    }

    private static func entries(_ tokens: [String: String],
                                _ scopes: [String: CallerScope]) -> [(caller: Caller, token: [UInt8])] {
        tokens.sorted { $0.key < $1.key }.map {
            (Caller(name: $0.key, scope: scopes[$0.key] ?? CallerScope.legacyDefault), Array($0.value.utf8))
        }
    }
}
