/// An absolute http(s) URL split into what a request needs (RFC 3986 §3). Userinfo is
/// rejected (credentials do not belong in URLs), the fragment dropped (§3.5: never sent).
struct HTTPURL: Sendable, Hashable, CustomStringConvertible {
    var scheme: String       // "http" or "https"
    var host: String         // lowercased; IPv6 literal without brackets
    var port: Int
    var target: String       // origin-form: path + optional "?query"

    var isIPLiteral: Bool { IPAddress(host) != nil }
    var isTLS: Bool { scheme == "https" }
    var defaultPort: Int { isTLS ? 443 : 80 }

    /// `host[:port]` as written in `Host` and CONNECT (RFC 9110 §7.2).
    var authority: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return port == defaultPort ? h : "\(h):\(port)"
    }

    var hostAndPort: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "\(h):\(port)"
    }

    var description: String { "\(scheme)://\(authority)\(target)" }

    init(scheme: String, host: String, port: Int, target: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.target = target
    }

    init(parsing text: String) throws(HTTPClientError) {
        guard !text.utf8.contains(where: { $0 <= 0x20 || $0 >= 0x7f }) else {
            throw .invalidRequest("URL contains spaces, control or non-ASCII characters")
        }
        guard let sep = text.firstRange(of: "://") else { throw .invalidRequest("URL is not absolute") }
        let scheme = text[..<sep.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw .invalidRequest("unsupported URL scheme \(scheme)")
        }
        var rest = text[sep.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var target = String(rest[authorityEnd...])
        if target.isEmpty || target.hasPrefix("?") { target = "/" + target }
        guard !authority.contains("@") else { throw .invalidRequest("URL userinfo is not allowed") }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .invalidRequest("bad IPv6 literal") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalidRequest("bad authority") }
                portText = after.dropFirst()
            }
            guard IPAddress(String(host)) != nil else { throw .invalidRequest("bad IPv6 literal") }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        let lower = host.lowercased()
        guard !lower.isEmpty else { throw .invalidRequest("URL has no host") }
        if !authority.hasPrefix("[") {
            // RFC 3986 reg-name restricted to what DNS can carry; IDNs arrive as punycode.
            let ok = lower.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d || $0 == 0x2e || $0 == 0x5f }
            guard ok else { throw .invalidRequest("invalid host name") }
        }
        let defaultPort = scheme == "https" ? 443 : 80
        var port = defaultPort
        if let portText, !portText.isEmpty {
            guard portText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), portText.count <= 5,
                  let p = Int(portText), p > 0, p <= 65535 else {
                throw .invalidRequest("invalid port")
            }
            port = p
        }
        self.init(scheme: scheme, host: lower, port: port, target: target)
    }

    /// Resolves a `Location` value against this URL (RFC 3986 §5.2, RFC 9110 §10.2.2).
    func resolving(_ reference: String) throws(HTTPClientError) -> HTTPURL {
        let ref = reference.trimmingSpaces()
        if ref.firstRange(of: "://") != nil, let colon = ref.firstIndex(of: ":"),
           ref[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) {
            return try HTTPURL(parsing: ref)
        }
        if ref.hasPrefix("//") { return try HTTPURL(parsing: "\(scheme):\(ref)") }
        var r = Substring(ref)
        if let hash = r.firstIndex(of: "#") { r = r[..<hash] }
        guard !r.utf8.contains(where: { $0 <= 0x20 || $0 >= 0x7f }) else {
            throw .invalidRequest("Location contains invalid characters")
        }
        var result = self
        if r.isEmpty { return result }
        if r.hasPrefix("?") {
            result.target = String(path) + r
        } else if r.hasPrefix("/") {
            result.target = Self.removingDotSegments(r)
        } else {
            let base = path
            let dir = base[...(base.lastIndex(of: "/") ?? base.startIndex)]
            result.target = Self.removingDotSegments(dir + r)
        }
        return result
    }

    private var path: Substring {
        if let q = target.firstIndex(of: "?") { return target[..<q] }
        return target[...]
    }

    /// RFC 3986 §5.2.4, applied to the path only; the query is kept verbatim.
    static func removingDotSegments<S: StringProtocol>(_ pathAndQuery: S) -> String {
        let text = String(pathAndQuery)
        var path = Substring(text)
        var query = Substring("")
        if let q = text.firstIndex(of: "?") { path = text[..<q]; query = text[q...] }
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (i, seg) in segments.enumerated() {
            let last = i == segments.count - 1
            if seg == "." { if last { output.append("") }; continue }
            if seg == ".." { if !output.isEmpty { output.removeLast() }; if last { output.append("") }; continue }
            output.append(seg)
        }
        return "/" + output.joined(separator: "/") + query
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
