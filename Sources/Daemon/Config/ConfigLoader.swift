import Foundation

/// Turns a configuration file plus the environment into a `DaemonConfiguration`,
/// collecting every problem instead of stopping at the first.
public enum ConfigLoader {
    /// Environment variables the command-line client reads; not configuration keys, so
    /// not reported as unknown.
    public static let clientEnvironmentNames: Set<String> = [
        "IMAGEHOOK_CONFIG", "IMAGEHOOK_URL", "IMAGEHOOK_TOKEN_FILE",
    ]

    /// Credential names looked up in `$CREDENTIALS_DIRECTORY` when the matching key is
    /// empty, so a unit with `LoadCredential=` needs no extra configuration.
    public static let defaultCredentialNames = (
        providerAPIKey: "evolink-api-key", internalTokens: "internal-tokens", relaySecret: "relay-secret"
    )

    /// Largest secret file read; anything bigger is a mistake (a wrong path).
    static let maxSecretFileBytes = 64 * 1024

    public static func load(path: String, environment: [String: String]) -> ConfigLoadResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            let result = load(text: "", environment: environment)
            var problems = [ConfigProblem(origin: .none, key: nil, message: "cannot read configuration file")]
            problems.append(contentsOf: result.problems)
            return ConfigLoadResult(configuration: result.configuration, secrets: result.secrets,
                                    problems: problems, origins: result.origins)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return ConfigLoadResult(configuration: DaemonConfiguration(), secrets: DaemonSecrets(),
                                    problems: [ConfigProblem(origin: .none, key: nil, message: "file is not UTF-8")],
                                    origins: [:])
        }
        return load(text: text, environment: environment)
    }

    public static func load(text: String, environment: [String: String]) -> ConfigLoadResult {
        let file = ConfigFile(text: text)
        var problems = file.problems
        var config = DaemonConfiguration()
        var origins: [String: ConfigProblem.Origin] = [:]
        var rawValues: [String: String] = [:]

        for entry in file.entries {
            guard let key = DaemonConfiguration.key(named: entry.key) else {
                problems.append(ConfigProblem(origin: .line(entry.line), key: entry.key,
                                              message: "unknown key\(suggestion(for: entry.key))"))
                continue
            }
            if let message = key.apply(&config, entry.value) {
                problems.append(ConfigProblem(origin: .line(entry.line), key: key.name, message: message.text))
            } else {
                origins[key.name] = .line(entry.line)
                rawValues[key.name] = entry.value
            }
        }

        // Environment overrides win over the file (systemd Environment=, containers).
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("IMAGEHOOK_") {
            if clientEnvironmentNames.contains(name) { continue }
            let keyName = String(name.dropFirst("IMAGEHOOK_".count)).lowercased()
            guard let key = DaemonConfiguration.key(named: keyName) else {
                problems.append(ConfigProblem(origin: .environment(name), key: nil,
                                              message: "unknown configuration variable\(suggestion(for: keyName))"))
                continue
            }
            if let message = key.apply(&config, value.trimmingSpaces()) {
                problems.append(ConfigProblem(origin: .environment(name), key: key.name, message: message.text))
            } else {
                origins[key.name] = .environment(name)
                rawValues[key.name] = value.trimmingSpaces()
            }
        }

        let credentials = environment["CREDENTIALS_DIRECTORY"]
        applyCredentialFallbacks(&config, credentialsDirectory: credentials)
        var secrets = DaemonSecrets()
        readSecrets(config, credentialsDirectory: credentials, origins: origins, into: &secrets, problems: &problems)
        problems.append(contentsOf: crossCheck(config, origins: origins))
        return ConfigLoadResult(configuration: config, secrets: secrets, problems: problems, origins: origins,
                                rawValues: rawValues)
    }

    /// Reads only the internal tokens again (SIGHUP).
    public static func reloadTokens(_ config: DaemonConfiguration, environment: [String: String]) -> ([InternalToken], [ConfigProblem]) {
        var secrets = DaemonSecrets()
        var problems: [ConfigProblem] = []
        var copy = config
        copy.providerAPIKeyFile = nil
        copy.relaySecretFile = nil
        readSecrets(copy, credentialsDirectory: environment["CREDENTIALS_DIRECTORY"], origins: [:],
                    into: &secrets, problems: &problems)
        return (secrets.internalTokens, problems)
    }

    static func applyCredentialFallbacks(_ config: inout DaemonConfiguration, credentialsDirectory: String?) {
        guard let dir = credentialsDirectory, !dir.isEmpty else { return }
        func present(_ name: String) -> Bool { FileManager.default.fileExists(atPath: dir + "/" + name) }
        let names = defaultCredentialNames
        if config.providerAPIKeyFile == nil, present(names.providerAPIKey) {
            config.providerAPIKeyFile = .credential(names.providerAPIKey)
        }
        if config.internalTokensFile == nil, present(names.internalTokens) {
            config.internalTokensFile = .credential(names.internalTokens)
        }
        if config.relaySecretFile == nil, present(names.relaySecret) {
            config.relaySecretFile = .credential(names.relaySecret)
        }
    }

    static func readSecrets(_ config: DaemonConfiguration, credentialsDirectory: String?,
                            origins: [String: ConfigProblem.Origin],
                            into secrets: inout DaemonSecrets, problems: inout [ConfigProblem]) {
        func read(_ key: String, _ ref: SecretReference?) -> String? {
            guard let ref else { return nil }
            let origin = origins[key] ?? .none
            guard let path = ref.path(credentialsDirectory: credentialsDirectory) else {
                problems.append(ConfigProblem(origin: origin, key: key,
                                              message: "\(ref) names a systemd credential but CREDENTIALS_DIRECTORY is not set"))
                return nil
            }
            switch readSecretFile(path) {
            case .success(let text): return text
            case .failure(let m):
                problems.append(ConfigProblem(origin: origin, key: key, message: "\(path): \(m.text)"))
                return nil
            }
        }
        if let key = read("provider_api_key_file", config.providerAPIKeyFile) {
            secrets.providerAPIKey = Secret(key)
        }
        if let relay = read("relay_secret_file", config.relaySecretFile) {
            if relay.utf8.count < 32 {
                problems.append(ConfigProblem(origin: origins["relay_secret_file"] ?? .none, key: "relay_secret_file",
                                              message: "secret is shorter than 32 bytes"))
            } else {
                secrets.relaySecret = Secret(relay)
            }
        }
        if let text = read("internal_tokens_file", config.internalTokensFile) {
            let parsed = InternalToken.parse(text)
            secrets.internalTokens = parsed.tokens
            let where_ = config.internalTokensFile.map { "\($0)" } ?? ""
            for p in parsed.problems {
                problems.append(ConfigProblem(origin: origins["internal_tokens_file"] ?? .none, key: "internal_tokens_file",
                                              message: "\(where_) line \(p.line): \(p.message)"))
            }
            if parsed.tokens.isEmpty && parsed.problems.isEmpty {
                problems.append(ConfigProblem(origin: origins["internal_tokens_file"] ?? .none, key: "internal_tokens_file",
                                              message: "\(where_) holds no tokens"))
            }
        }
    }

    /// Reads one secret file: must be a regular file, not readable by others (a key
    /// readable by every local user is already leaked), non-empty, small.
    static func readSecretFile(_ path: String) -> Result<String, ConfigValueParser.Message> {
        let fm = FileManager.default
        guard let attributes = try? fm.attributesOfItem(atPath: path) else {
            return .failure(.init("cannot read: no such file or permission denied"))
        }
        if let type = attributes[.type] as? FileAttributeType, type != .typeRegular {
            return .failure(.init("not a regular file"))
        }
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o007 != 0 {
            return .failure(.init("permissions \(String(mode, radix: 8)) let other users access it; chmod 600 or 640"))
        }
        if let size = (attributes[.size] as? NSNumber)?.intValue, size > maxSecretFileBytes {
            return .failure(.init("larger than \(maxSecretFileBytes) bytes; wrong file?"))
        }
        guard let data = fm.contents(atPath: path) else {
            return .failure(.init("cannot read: permission denied"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(.init("not UTF-8 text"))
        }
        var trimmed = text
        while let last = trimmed.last, last == "\n" || last == "\r" || last == " " { trimmed.removeLast() }
        guard !trimmed.isEmpty else { return .failure(.init("is empty")) }
        return .success(trimmed)
    }

    static func crossCheck(_ c: DaemonConfiguration, origins: [String: ConfigProblem.Origin]) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        func origin(_ key: String) -> ConfigProblem.Origin { origins[key] ?? .none }
        if !c.isSimulatorMode {
            if c.providerAPIKeyFile == nil {
                problems.append(ConfigProblem(origin: origin("provider"), key: "provider_api_key_file",
                                              message: "required with provider = evolink (the default); for local development without the real API set provider = simulator (IMAGEHOOK_PROVIDER=simulator)"))
            }
            if let url = c.publicURL {
                if !url.lowercased().hasPrefix("https://") {
                    problems.append(ConfigProblem(origin: origin("public_url"), key: "public_url",
                                                  message: "must be https: the provider only calls back over HTTPS"))
                }
            } else {
                problems.append(ConfigProblem(origin: .none, key: "public_url",
                                              message: "required with provider = evolink"))
            }
            if c.internalTokensFile == nil {
                problems.append(ConfigProblem(origin: .none, key: "internal_tokens_file",
                                              message: "required with provider = evolink (the internal API spends money)"))
            }
            if c.relaySecretFile == nil {
                problems.append(ConfigProblem(origin: .none, key: "relay_secret_file",
                                              message: "required with provider = evolink (relayed notifications are signed)"))
            }
            if !c.providerBaseURL.lowercased().hasPrefix("https://"), !isLoopbackURL(c.providerBaseURL) {
                problems.append(ConfigProblem(origin: origin("provider_base_url"), key: "provider_base_url",
                                              message: "must be https (the API key travels in it) unless it is a loopback address"))
            }
        }
        if c.publicListen == c.internalListen, c.publicListen.port != 0 {
            problems.append(ConfigProblem(origin: origin("internal_listen"), key: "internal_listen",
                                          message: "same address as public_listen; the internal API must not share the public listener"))
        }
        if c.callbackMaxBodyBytes > c.maxBodyBytes {
            problems.append(ConfigProblem(origin: origin("callback_max_body_bytes"), key: "callback_max_body_bytes",
                                          message: "larger than max_body_bytes"))
        }
        return problems
    }

    static func isLoopbackURL(_ url: String) -> Bool {
        guard let range = url.range(of: "://") else { return false }
        let rest = url[range.upperBound...]
        return rest.hasPrefix("127.") || rest.hasPrefix("[::1]") || rest.hasPrefix("localhost")
    }

    /// " (did you mean `x`?)" for a near miss, so typos are quick to fix.
    static func suggestion(for name: String) -> String {
        let best = DaemonConfiguration.keys.map { ($0.name, editDistance($0.name, name)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(2, name.count / 4) else { return "" }
        return " (did you mean `\(best.0)`?)"
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
