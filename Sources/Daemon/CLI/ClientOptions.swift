import ArgumentParser
import Foundation

/// How client subcommands find the daemon: `--url` (or IMAGEHOOK_URL, or the
/// configuration's internal_listen) and a bearer token from `--token-file` (or
/// IMAGEHOOK_TOKEN_FILE, or the simulator-mode dev token in data_dir). Never a token on
/// the command line: argv is visible to every local user.
public struct ClientOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Internal listener base URL (default: IMAGEHOOK_URL, else from the configuration).", valueName: "URL"))
    var url: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("File holding the bearer token (default: IMAGEHOOK_TOKEN_FILE, else <data_dir>/dev-token in simulator mode).", valueName: "FILE"))
    var tokenFile: String?

    @Option(help: ArgumentHelp("Configuration file used to find the defaults.", valueName: "FILE"))
    var config: String = ProcessInfo.processInfo.environment["IMAGEHOOK_CONFIG"] ?? "/etc/imagehook/imagehook.conf"

    @Flag(help: "Print JSON for scripts instead of text.")
    var json = false

    public init() {}

    func makeClient() throws -> InternalAPIClient {
        let env = ProcessInfo.processInfo.environment
        let text = FileManager.default.contents(atPath: config).flatMap { String(data: $0, encoding: .utf8) } ?? ""
        // Only the defaults are wanted here, so problems (e.g. unreadable secrets) are ignored.
        let configuration = ConfigLoader.load(text: text, environment: env.filter { $0.key != "IMAGEHOOK_URL" }).configuration
        var base = url ?? env["IMAGEHOOK_URL"] ?? "http://\(Self.connectable(configuration.internalListen))"
        while base.hasSuffix("/") { base.removeLast() }
        let tokenPath = tokenFile ?? env["IMAGEHOOK_TOKEN_FILE"] ?? DevToken.path(dataDir: configuration.dataDir)
        guard let data = FileManager.default.contents(atPath: tokenPath),
              let token = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              !token.isEmpty else {
            throw CLIError.noToken("cannot read \(tokenPath)")
        }
        // A tokens file (`name:token` lines) works too: take the first entry.
        let parsed = InternalToken.parse(token)
        let bearer = parsed.tokens.first?.token.reveal() ?? token
        return InternalAPIClient(baseURL: base, token: Secret(bearer))
    }

    /// A wildcard listen address is reached through loopback.
    static func connectable(_ address: ListenAddress) -> String {
        if address.host == "0.0.0.0" { return "127.0.0.1:\(address.port)" }
        if address.host == "::" { return "[::1]:\(address.port)" }
        return address.description
    }
}
