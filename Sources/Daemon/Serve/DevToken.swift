import Foundation

/// Simulator mode without an internal_tokens_file: a random token for the local CLI,
/// kept in `<data_dir>/dev-token` (mode 0600) so `imagehookd submit` finds it. Never
/// used when a provider key is configured (tokens are then required). It is the local
/// operator's token, so it is an admin: `imagehookd tasks` shows every caller's work.
enum DevToken {
    static let fileName = "dev-token"
    static let callerName = "dev"

    static func path(dataDir: String) -> String { dataDir + "/" + fileName }

    static func loadOrCreate(dataDir: String) throws -> InternalToken {
        let path = path(dataDir: dataDir)
        if let data = FileManager.default.contents(atPath: path),
           let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
           text.count >= InternalToken.minimumLength {
            return InternalToken(name: callerName, token: Secret(text), scope: .admin)
        }
        var bytes = [UInt8](repeating: 0, count: 24)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        let token = bytes.map { String(format: "%02x", $0) }.joined()
        guard FileManager.default.createFile(atPath: path, contents: Data((token + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw DaemonError.service("cannot write \(path)")
        }
        return InternalToken(name: callerName, token: Secret(token), scope: .admin)
    }
}
