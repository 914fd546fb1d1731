/// Where a secret lives: a file path, or `cred:NAME` for a systemd credential
/// (`LoadCredential=NAME:...` exposes it as `$CREDENTIALS_DIRECTORY/NAME`, readable only by
/// the service). Secrets are never taken from argv or from the configuration text itself:
/// argv is world-readable in /proc, and config files get pasted into tickets.
public enum SecretReference: Sendable, Equatable, CustomStringConvertible {
    case file(String)
    case credential(String)

    public init?(_ text: String) {
        if text.hasPrefix("cred:") {
            let name = String(text.dropFirst(5))
            guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else { return nil }
            self = .credential(name)
        } else {
            guard text.hasPrefix("/") else { return nil }
            self = .file(text)
        }
    }

    public var description: String {
        switch self {
        case .file(let path): return path
        case .credential(let name): return "cred:\(name)"
        }
    }

    /// The path to read, or nil when a credential is named but no credentials directory
    /// was passed to the process.
    public func path(credentialsDirectory: String?) -> String? {
        switch self {
        case .file(let path): return path
        case .credential(let name):
            guard let dir = credentialsDirectory, !dir.isEmpty else { return nil }
            return dir.hasSuffix("/") ? dir + name : dir + "/" + name
        }
    }
}
