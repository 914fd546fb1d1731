import Foundation
import Testing
@testable import Daemon
import TestSupport

@Suite struct ConfigSecretsTests {
    @Test func productionNeedsHTTPSAndEverySecret() {
        let dir = TemporaryDirectory()
        let key = dir.write("key", "sk-live-123\n")
        let result = ConfigLoader.load(text: """
        provider_api_key_file = \(key)
        public_url = http://hooks.example.com
        provider_base_url = http://api.example.com
        """, environment: [:])
        #expect(!result.configuration.isSimulatorMode)
        #expect(result.secrets.providerAPIKey?.reveal() == "sk-live-123")
        let keys = Set(result.problems.compactMap(\.key))
        #expect(keys == ["public_url", "internal_tokens_file", "relay_secret_file", "provider_base_url"])
        #expect(result.problems.first { $0.key == "public_url" }?.line == 2)
        #expect(result.problems.first { $0.key == "public_url" }?.message.contains("https") == true)
    }

    @Test func validProductionConfiguration() {
        let dir = TemporaryDirectory()
        let key = dir.write("key", "sk-live-123")
        let tokens = dir.write("tokens", "# clients\nbilling:\(longToken)\n\nreports : \(longToken)x\n")
        let relay = dir.write("relay", relaySecretText)
        let result = ConfigLoader.load(text: """
        provider_api_key_file = \(key)
        internal_tokens_file = \(tokens)
        relay_secret_file = \(relay)
        public_url = https://hooks.example.com/
        """, environment: [:])
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.secrets.internalTokens.map(\.name) == ["billing", "reports"])
        #expect(result.secrets.internalTokens[1].token.reveal() == longToken + "x")
        #expect(result.secrets.relaySecret?.reveal() == relaySecretText)
        #expect(result.configuration.publicURL == "https://hooks.example.com")
    }

    @Test func secretsComeFromSystemdCredentials() {
        let dir = TemporaryDirectory()
        dir.write("creds/evolink-api-key", "sk-from-cred\n", mode: 0o400)
        dir.write("creds/internal-tokens", "ops:\(longToken)\n", mode: 0o400)
        dir.write("creds/my-relay", relaySecretText, mode: 0o400)
        let env = ["CREDENTIALS_DIRECTORY": dir.path + "/creds"]
        let result = ConfigLoader.load(text: """
        relay_secret_file = cred:my-relay
        public_url = https://hooks.example.com
        """, environment: env)
        #expect(result.problems.isEmpty, "\(result.problems)")
        // Explicit cred: reference and the default-name fallbacks.
        #expect(result.secrets.relaySecret?.reveal() == relaySecretText)
        #expect(result.secrets.providerAPIKey?.reveal() == "sk-from-cred")
        #expect(result.configuration.providerAPIKeyFile == .credential("evolink-api-key"))
        #expect(result.secrets.internalTokens.first?.name == "ops")
    }

    @Test func credentialWithoutCredentialsDirectoryIsAProblem() {
        let result = ConfigLoader.load(text: "\n\nprovider_api_key_file = cred:evolink-api-key", environment: [:])
        let problem = result.problems.first { $0.key == "provider_api_key_file" }
        #expect(problem?.line == 3)
        #expect(problem?.message.contains("CREDENTIALS_DIRECTORY") == true)
    }

    @Test func unreadableLooseEmptyOrRelativeSecretsAreReportedTogether() {
        let dir = TemporaryDirectory()
        let loose = dir.write("loose", "sk", mode: 0o644)
        let empty = dir.write("empty", "\n")
        let badTokens = dir.write("tokens", "nocolon\nshort:abc\nok:\(longToken)\nok:\(longToken)\n")
        let result = ConfigLoader.load(text: """
        provider_api_key_file = \(loose)
        relay_secret_file = \(empty)
        internal_tokens_file = \(badTokens)
        extra_ca_file = relative.pem
        """, environment: ["IMAGEHOOK_PUBLIC_URL": "https://x.example"])
        let messages = result.problems.map { $0.render(file: "f") }
        #expect(messages.contains { $0.hasPrefix("f:1: provider_api_key_file: ") && $0.contains("chmod") })
        #expect(messages.contains { $0.hasPrefix("f:2: relay_secret_file: ") && $0.contains("empty") })
        #expect(messages.contains { $0.hasPrefix("f:3: internal_tokens_file: ") && $0.contains("line 1") })
        #expect(messages.contains { $0.hasPrefix("f:3: internal_tokens_file: ") && $0.contains("line 2") && $0.contains("shorter") })
        #expect(messages.contains { $0.hasPrefix("f:3: internal_tokens_file: ") && $0.contains("line 4") && $0.contains("twice") })
        #expect(messages.contains { $0.hasPrefix("f:4: extra_ca_file: ") })
        // No secret text ever appears in a problem.
        #expect(!messages.joined().contains(longToken))
        let missing = ConfigLoader.load(text: "provider_api_key_file = \(dir.path)/nope", environment: [:])
        #expect(missing.problems.contains { $0.line == 1 && $0.message.contains("cannot read") })
        let relative = ConfigLoader.load(text: "provider_api_key_file = key.txt", environment: [:])
        #expect(relative.problems.first?.message.contains("absolute path") == true)
    }

    @Test func secretDescriptionsAreRedacted() {
        let secret = Secret("sk-very-secret")
        let token = InternalToken(name: "svc", token: secret)
        let secrets = DaemonSecrets(providerAPIKey: secret, internalTokens: [token], relaySecret: secret)
        let texts = ["\(secret)", String(reflecting: secret), "\(token)", "\(secrets)", String(reflecting: secrets)]
        var dumped = ""
        dump(secrets, to: &dumped)
        for text in texts + [dumped] {
            #expect(!text.contains("sk-very-secret"), "\(text)")
        }
        #expect(secret.reveal() == "sk-very-secret")
    }

    @Test func tokensReloadReadsTheFileAgain() {
        let dir = TemporaryDirectory()
        let path = dir.write("tokens", "a:\(longToken)\n")
        let config = ConfigLoader.load(text: "internal_tokens_file = \(path)", environment: [:]).configuration
        dir.write("tokens", "a:\(longToken)\nb:\(longToken)z\n")
        let (tokens, problems) = ConfigLoader.reloadTokens(config, environment: [:])
        #expect(problems.isEmpty)
        #expect(tokens.map(\.name) == ["a", "b"])
    }

    @Test func effectiveLinesShowOriginsAndNeverSecrets() {
        let dir = TemporaryDirectory()
        dir.write("creds/evolink-api-key", "sk-hidden-value", mode: 0o400)
        let result = ConfigLoader.load(text: "\nlog_level = debug\n", environment: [
            "IMAGEHOOK_DATA_DIR": "/srv/x", "CREDENTIALS_DIRECTORY": dir.path + "/creds",
        ])
        let lines = result.effectiveLines(file: "f.conf")
        #expect(lines.count == DaemonConfiguration.keys.count)
        #expect(lines.contains { $0.hasPrefix("log_level = debug") && $0.hasSuffix("# f.conf:2") })
        #expect(lines.contains { $0.hasPrefix("data_dir = /srv/x") && $0.hasSuffix("# environment IMAGEHOOK_DATA_DIR") })
        #expect(lines.contains { $0.hasPrefix("public_listen = 127.0.0.1:8080") && $0.hasSuffix("# default") })
        #expect(lines.contains { $0.hasPrefix("provider_api_key_file = cred:evolink-api-key") && $0.hasSuffix("# credentials directory") })
        #expect(!lines.joined().contains("sk-hidden-value"))
    }
}
