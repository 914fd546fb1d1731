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
    private let tokens: Locked<[(name: String, token: [UInt8])]>

    init(tokens: [String: String]) {
        self.tokens = Locked(Self.entries(tokens))
    }

    /// Replaces the whole token set at once (`name -> token`).
    func replace(tokens: [String: String]) {
        let fresh = Self.entries(tokens)
        self.tokens.withLock { $0 = fresh }
    }

    func caller(for headers: HTTPHeaders) -> String? {
        guard let value = headers["Authorization"] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let presented = Array(parts[1].utf8)
        let current = tokens.withLock { $0 }
        var found: String?
        for entry in current where ConstantTime.equals(entry.token, presented) && found == nil {
            found = entry.name
        }
        return found
    }

    private static func entries(_ tokens: [String: String]) -> [(name: String, token: [UInt8])] {
        tokens.sorted { $0.key < $1.key }.map { ($0.key, Array($0.value.utf8)) }
    }
}
