/// The submitter's own callback_url: an http or https URL (internal services are
/// usually plain http on a private network, which is fine for our relay) of at most
/// 2048 characters (the provider's own limit, kept for symmetry).
enum RelayURL {
    static let maxLength = 2048

    static func isAcceptable(_ url: String) -> Bool {
        guard url.utf8.count <= maxLength, url.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return false }
        let lower = url.lowercased()
        for scheme in ["http://", "https://"] where lower.hasPrefix(scheme) {
            return url.utf8.count > scheme.utf8.count
        }
        return false
    }
}
