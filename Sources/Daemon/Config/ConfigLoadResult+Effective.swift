extension ConfigLoadResult {
    /// Every key with the value in force and where it came from, for
    /// `check-config --print`. Secret keys show the file they name, never its content.
    public func effectiveLines(file: String) -> [String] {
        DaemonConfiguration.keys.map { key in
            var value = rawValues[key.name] ?? key.defaultText
            var origin: String
            switch origins[key.name] {
            case .line(let n)?: origin = "\(file):\(n)"
            case .environment(let name)?: origin = "environment \(name)"
            default: origin = "default"
            }
            // Secret references filled in from $CREDENTIALS_DIRECTORY by name.
            let fallback: SecretReference? = switch key.name {
            case "provider_api_key_file": configuration.providerAPIKeyFile
            case "internal_tokens_file": configuration.internalTokensFile
            case "relay_secret_file": configuration.relaySecretFile
            default: nil
            }
            if origins[key.name] == nil, let fallback {
                value = fallback.description
                origin = "credentials directory"
            }
            return "\(key.name) = \(value)".padding(toLength: max(48, key.name.count + value.count + 4), withPad: " ", startingAt: 0)
                + "# \(origin)"
        }
    }
}
