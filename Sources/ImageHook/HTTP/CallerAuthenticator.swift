import HTTP1

/// Attributes an internal request to a caller by `Authorization: Bearer <token>`
/// (RFC 6750 §2.1). Every configured token is compared, in constant time, whatever
/// matched first, so answer times say nothing about which prefix was right.
struct CallerAuthenticator: Sendable {
    private let tokens: [(name: String, token: [UInt8])]

    init(tokens: [String: String]) {
        self.tokens = tokens.sorted { $0.key < $1.key }.map { ($0.key, Array($0.value.utf8)) }
    }

    func caller(for headers: HTTPHeaders) -> String? {
        guard let value = headers["Authorization"] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let presented = Array(parts[1].utf8)
        var found: String?
        for entry in tokens where Crypto.constantTimeEquals(entry.token, presented) && found == nil {
            found = entry.name
        }
        return found
    }
}
