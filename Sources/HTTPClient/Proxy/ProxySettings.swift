#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Egress proxy settings in the conventional environment form: `HTTPS_PROXY` for
/// https targets, `HTTP_PROXY` for http targets (lowercase names win, as in curl), and
/// `NO_PROXY` exceptions. Every target is reached through a CONNECT tunnel (RFC 9110
/// §9.3.6), so TLS stays end to end and the proxy sees only host and port.
public struct ProxySettings: Sendable, Hashable {
    public var httpsProxy: ProxyEndpoint?
    public var httpProxy: ProxyEndpoint?
    /// Host suffixes (".corp", "corp" — both match "x.corp" and "corp"), exact IP
    /// literals or CIDRs, or "*" for everything.
    public var noProxy: [String]

    public init(httpsProxy: ProxyEndpoint? = nil, httpProxy: ProxyEndpoint? = nil, noProxy: [String] = []) {
        self.httpsProxy = httpsProxy
        self.httpProxy = httpProxy
        self.noProxy = noProxy
    }

    public static let none = ProxySettings()

    /// Reads the process environment.
    public static func fromEnvironment() -> ProxySettings {
        var env: [String: String] = [:]
        for name in ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY"] {
            if let v = getenv(name) { env[name] = String(cString: v) }
        }
        return fromEnvironment(env)
    }

    /// Pure form for tests. Unparseable proxy URLs are ignored rather than guessed at.
    public static func fromEnvironment(_ env: [String: String]) -> ProxySettings {
        func pick(_ names: [String]) -> String? {
            names.lazy.compactMap { env[$0] }.first { !$0.isEmpty }
        }
        let https = pick(["https_proxy", "HTTPS_PROXY"]).flatMap(ProxyEndpoint.init(parsing:))
        let http = pick(["http_proxy", "HTTP_PROXY"]).flatMap(ProxyEndpoint.init(parsing:))
        let no = (pick(["no_proxy", "NO_PROXY"]) ?? "")
            .split(separator: ",").map { $0.trimmingCharacters() }.filter { !$0.isEmpty }
        return ProxySettings(httpsProxy: https, httpProxy: http, noProxy: no)
    }

    /// The proxy to use for a target, or nil to connect directly.
    public func proxy(scheme: String, host: String) -> ProxyEndpoint? {
        guard let endpoint = scheme == "https" ? httpsProxy : httpProxy else { return nil }
        return bypasses(host: host) ? nil : endpoint
    }

    public func bypasses(host: String) -> Bool {
        let h = AddressPolicy.normalizedHost(host)
        let literal = IPAddress(h)
        for raw in noProxy {
            var entry = AddressPolicy.normalizedHost(raw)
            if entry == "*" { return true }
            if let literal, let network = IPNetwork(entry), network.contains(literal) { return true }
            // "host:port" entries: the port part is not used for matching.
            if !entry.contains("::"), let colon = entry.lastIndex(of: ":"), !entry.hasPrefix("[") {
                entry = String(entry[..<colon])
            }
            while entry.hasPrefix("*") || entry.hasPrefix(".") { entry.removeFirst() }
            if entry.isEmpty { continue }
            if h == entry || h.hasSuffix("." + entry) { return true }
        }
        return false
    }
}

/// An `http://[user:pass@]host:port` proxy. TLS to the proxy itself is not supported.
public struct ProxyEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// `user:password` for `Proxy-Authorization: Basic` (RFC 9110 §11.7.1); never logged.
    var credentials: String?

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init?(parsing text: String) {
        var s = text.trimmingCharacters()
        if !s.contains("://") { s = "http://" + s }
        guard s.lowercased().hasPrefix("http://") else { return nil }
        var rest = s.dropFirst("http://".count)
        var creds: String?
        if let at = rest.lastIndex(of: "@") {
            creds = String(rest[..<at]).removingPercentEncoding()
            rest = rest[rest.index(after: at)...]
        }
        guard let url = try? HTTPURL(parsing: "http://" + rest) else { return nil }
        // A proxy URL without a port means 1080 in curl; 80 is the scheme default, but
        // almost every proxy listens elsewhere, so require callers to be explicit.
        self.host = url.host
        self.port = url.port
        self.credentials = creds
    }

    /// Credentials are deliberately omitted.
    public var description: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }
}

extension StringProtocol {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }

    func removingPercentEncoding() -> String {
        var out: [UInt8] = []
        var it = Array(utf8)[...]
        while let b = it.popFirst() {
            if b == 0x25, it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                out.append(v)
                it = it.dropFirst(2)
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
