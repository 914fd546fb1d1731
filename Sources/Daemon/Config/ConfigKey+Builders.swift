import HTTPClient
import Logging

/// Builders for the common value kinds, so the key table reads as a list of facts.
extension ConfigKey {
    typealias Path<T> = WritableKeyPath<DaemonConfiguration, T> & Sendable
    typealias Message = ConfigValueParser.Message

    static func make(_ name: String, _ defaultText: String, _ unit: String, reloadable: Bool = false,
                     _ summary: String,
                     apply: @escaping @Sendable (inout DaemonConfiguration, String) -> Message?) -> ConfigKey {
        ConfigKey(name: name, defaultText: defaultText, unit: unit, summary: summary,
                  reloadable: reloadable, apply: apply)
    }

    static func duration(_ name: String, _ path: Path<Double>, _ defaultText: String,
                         min: Double = 0.001, reloadable: Bool = false, _ summary: String) -> ConfigKey {
        make(name, defaultText, "duration (ms, s, m, h; bare number = seconds)", reloadable: reloadable, summary) { c, text in
            switch ConfigValueParser.seconds(text) {
            case .success(let v) where v < min: return Message("must be at least \(min) s")
            case .success(let v): c[keyPath: path] = v; return nil
            case .failure(let m): return m
            }
        }
    }

    static func size(_ name: String, _ path: Path<Int>, _ defaultText: String, min: Int,
                     reloadable: Bool = false, _ summary: String) -> ConfigKey {
        make(name, defaultText, "bytes (KiB, MiB, GiB suffixes allowed)", reloadable: reloadable, summary) { c, text in
            switch ConfigValueParser.bytes(text) {
            case .success(let v) where v < min: return Message("must be at least \(min) bytes")
            case .success(let v): c[keyPath: path] = v; return nil
            case .failure(let m): return m
            }
        }
    }

    static func count(_ name: String, _ path: Path<Int>, _ defaultText: String, _ range: ClosedRange<Int>,
                      reloadable: Bool = false, _ summary: String) -> ConfigKey {
        make(name, defaultText, "count, \(range.lowerBound)...\(range.upperBound)", reloadable: reloadable, summary) { c, text in
            switch ConfigValueParser.integer(text, in: range) {
            case .success(let v): c[keyPath: path] = v; return nil
            case .failure(let m): return m
            }
        }
    }

    static func listen(_ name: String, _ path: Path<ListenAddress>, _ defaultText: String, _ summary: String) -> ConfigKey {
        make(name, defaultText, "host:port (IPv4 or [IPv6] literal)", summary) { c, text in
            guard let a = ListenAddress(text) else {
                return Message("expected host:port with an IPv4 or [IPv6] literal, got `\(text)`")
            }
            c[keyPath: path] = a
            return nil
        }
    }

    static func secret(_ name: String, _ path: Path<SecretReference?>, reloadable: Bool = false,
                       _ summary: String) -> ConfigKey {
        make(name, "", "absolute path, or cred:NAME for $CREDENTIALS_DIRECTORY/NAME", reloadable: reloadable, summary) { c, text in
            if text.isEmpty { c[keyPath: path] = nil; return nil }
            guard let ref = SecretReference(text) else {
                return Message("expected an absolute path or cred:NAME, got `\(text)`")
            }
            c[keyPath: path] = ref
            return nil
        }
    }

    static func networks(_ name: String, _ path: Path<[NetworkPrefix]>, _ defaultText: String,
                         reloadable: Bool = false, _ summary: String) -> ConfigKey {
        make(name, defaultText, "comma-separated CIDR list", reloadable: reloadable, summary) { c, text in
            var result: [NetworkPrefix] = []
            var bad: [String] = []
            for item in ConfigValueParser.list(text) {
                if let p = NetworkPrefix(item) { result.append(p) } else { bad.append(item) }
            }
            guard bad.isEmpty else {
                return Message("not a CIDR block: \(bad.map { "`\($0)`" }.joined(separator: ", "))")
            }
            c[keyPath: path] = result
            return nil
        }
    }

    static func optionalPath(_ name: String, _ path: Path<String?>, _ summary: String) -> ConfigKey {
        make(name, "", "absolute path", summary) { c, text in
            if text.isEmpty { c[keyPath: path] = nil; return nil }
            guard text.hasPrefix("/") else { return Message("expected an absolute path, got `\(text)`") }
            c[keyPath: path] = text
            return nil
        }
    }

    /// An egress proxy as `http://host:port`; empty = connect directly. Credentials are
    /// refused: configuration values are shown by `check-config`, secrets are not.
    static func proxy(_ name: String, _ path: Path<ProxyEndpoint?>, _ summary: String) -> ConfigKey {
        make(name, "", "http://host:port or empty", summary) { c, text in
            if text.isEmpty { c[keyPath: path] = nil; return nil }
            guard !text.contains("@") else {
                return Message("credentials in a proxy URL are not supported (they would be shown as configuration)")
            }
            guard let endpoint = ProxyEndpoint(parsing: text), text.lowercased().hasPrefix("http://") else {
                return Message("expected http://host:port, got `\(text)`")
            }
            c[keyPath: path] = endpoint
            return nil
        }
    }
}
