/// Rules that keep secrets out of logs even when a caller slips: values of metadata keys
/// named like a secret are replaced, bearer credentials and callback tokens inside any
/// text are masked. Callback URLs carry the per-task token (DESIGN: the token is the only
/// authentication a callback has), so `/v1/callbacks/<token>` is masked everywhere.
public enum LogRedaction {
    public static let placeholder = "[redacted]"

    static let secretKeyFragments = ["secret", "token", "password", "passwd", "authorization",
                                     "cookie", "credential", "api_key", "apikey", "private"]

    public static func isSecretKey(_ key: String) -> Bool {
        let k = key.lowercased()
        if secretKeyFragments.contains(where: { k.contains($0) }) { return true }
        return k == "key" || k.hasSuffix("_key") || k.hasSuffix("-key") || k.hasSuffix(".key")
    }

    /// Masks secrets embedded in free text.
    public static func scrub(_ text: String) -> String {
        var out = text
        out = mask(out, after: "/v1/callbacks/", stopAt: { $0 == "/" || $0 == "?" || $0 == " " || $0 == "\"" || $0 == "#" })
        for scheme in ["Bearer ", "bearer ", "BEARER "] {
            out = mask(out, after: scheme, stopAt: { $0 == " " || $0 == "\"" || $0 == "," || $0 == "\n" })
        }
        return out
    }

    static let callbackMarker = Array("/v1/callbacks/".utf8)

    /// Whether a request path may carry a callback token, decided on its bytes (the
    /// access log asks this for every request and scrubs only when it is true).
    static func mayHoldCallbackToken(_ path: Substring.UTF8View) -> Bool {
        let marker = callbackMarker
        guard path.count >= marker.count else { return false }
        var start = path.startIndex
        while let first = path[start...].firstIndex(of: marker[0]) {
            if path[first...].starts(with: marker) { return true }
            start = path.index(after: first)
        }
        return false
    }

    /// Replaces the run of characters after every occurrence of `marker` (up to a stop
    /// character) with the placeholder.
    static func mask(_ text: String, after marker: String, stopAt: (Character) -> Bool) -> String {
        guard text.contains(marker) else { return text }
        var result = ""
        var rest = text[...]
        while let range = rest.range(of: marker) {
            result += rest[..<range.upperBound]
            var tail = rest[range.upperBound...]
            var masked = false
            while let c = tail.first, !stopAt(c) {
                tail = tail.dropFirst()
                masked = true
            }
            if masked { result += placeholder }
            rest = tail
        }
        return result + rest
    }
}
