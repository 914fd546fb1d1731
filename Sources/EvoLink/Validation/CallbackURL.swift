import HTTPClient

/// A callback URL split into the parts the security rules look at.
///
/// Parsed by hand (RFC 3986 §3) rather than with a lenient URL type so that the host we
/// check is exactly the host a client would connect to. Anything two parsers could read
/// differently is refused: userinfo (`https://a@10.0.0.1`, and `https://10.0.0.1\@x`,
/// which WHATWG parsers send to 10.0.0.1), backslashes, host characters outside DNS
/// names, and odd numeric hosts (`2130706433`, `0x7f.1`, `127.1`) that many resolvers
/// read as IPv4.
public struct CallbackURL: Sendable, Hashable {
    public var scheme: String
    public var host: String
    public var port: Int?
    /// Path, query and fragment as written (`/` when empty).
    public var pathAndQuery: String

    public init(validating text: String,
                limits: ValidationLimits = ValidationLimits()) throws(CallbackURLError) {
        // Seed: "URL length must not exceed 2048 characters".
        guard text.unicodeScalars.count <= limits.maxCallbackURLLength else {
            throw .tooLong(limit: limits.maxCallbackURLLength)
        }
        // RFC 3986 allows only ASCII; controls and spaces would change meaning downstream.
        guard text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .malformed("contains spaces, controls or non-ASCII characters")
        }
        guard !text.contains("\\") else { throw .malformed("contains a backslash") }
        guard let sep = text.range(of: "://") else { throw .malformed("no scheme") }
        let scheme = text[..<sep.lowerBound].lowercased()
        guard scheme == "https" || (scheme == "http" && limits.allowInsecureCallbacks) else {
            throw .notHTTPS
        }
        let rest = text[sep.upperBound...]
        let authEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authEnd]
        guard !authority.contains("@") else { throw .malformed("userinfo is not allowed") }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .malformed("unclosed [") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .malformed("junk after ]") }
                portText = after.dropFirst()
            }
            guard IPAddress(String(host)) != nil else { throw .malformed("bad IPv6 literal") }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw .malformed("no host") }
        if !authority.hasPrefix("[") {
            let ok = host.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                    || b == 0x2D || b == 0x2E || b == 0x5F
            }
            guard ok else { throw .malformed("host has characters a DNS name cannot") }
        }
        var port: Int?
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy(\.isASCIIDigitChar),
                  let p = Int(portText), (1...65535).contains(p) else { throw .malformed("bad port") }
            port = p
        }
        let hostName = host.lowercased()
        if !limits.allowInsecureCallbacks, let why = Self.internalReason(hostName) {
            throw .internalHost(why)
        }
        self.scheme = scheme
        self.host = hostName
        self.port = port
        let tail = rest[authEnd...]
        self.pathAndQuery = tail.isEmpty ? "/" : String(tail)
    }

    /// Why a host must not receive callbacks, or nil when it may. Names that resolve to
    /// internal addresses cannot be caught here (no DNS at validation time); the sender
    /// refuses them again after resolving.
    static func internalReason(_ rawHost: String) -> String? {
        var host = rawHost
        while host.hasSuffix(".") { host.removeLast() }
        if host == "localhost" || host.hasSuffix(".localhost") { return host }
        // The same special-purpose ranges the download client refuses (loopback,
        // RFC 1918, link-local, CGNAT, ULA, mapped forms...).
        if let ip = IPAddress(host) {
            return AddressPolicy.refusalReason(for: ip).map { "\(host) is \($0)" }
        }
        // A final label that is numeric or hex-prefixed makes resolvers treat the whole
        // name as an IPv4 literal in a non-dotted-quad form: refuse rather than guess.
        let last = host.split(separator: ".").last.map(String.init) ?? host
        if last.allSatisfy(\.isASCIIDigitChar) || last.hasPrefix("0x") { return host }
        return nil
    }
}

extension Character {
    var isASCIIDigitChar: Bool { isASCII && isNumber }
}
