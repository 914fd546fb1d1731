import Foundation
import HTTPClient
import Testing
@testable import Daemon

/// `download_allowed_ports`: which ports a result link may name, and how that reaches
/// the download client's address policy.
@Suite struct DownloadPortsConfigTests {
    /// Parses the key alone (provider = simulator, so no cross-check problems), then maps
    /// in provider mode, where the policy applies (the simulator's links are its own).
    func load(_ text: String = "", environment: [String: String] = [:]) -> (result: ConfigLoadResult, policy: AddressPolicy) {
        let result = loadLocally(text, environment)
        var provider = result.configuration
        provider.provider = .evolink
        provider.providerAPIKeyFile = SecretReference("/run/imagehook/evolink-api-key")
        #expect(!provider.isSimulatorMode)
        return (result, provider.downloadClientConfiguration.addressPolicy)
    }

    func refuses(_ policy: AddressPolicy, port: Int) -> Bool {
        do { try policy.check(host: "93.184.215.14", port: port); return false } catch { return true }
    }

    @Test func defaultIsTheWebPortsOnly() {
        let (result, policy) = load()
        #expect(result.configuration.downloadAllowedPorts == [80, 443])
        #expect(policy.allowedPorts == [80, 443])
        #expect(!refuses(policy, port: 443))
        #expect(!refuses(policy, port: 80))
        #expect(refuses(policy, port: 8443))
        #expect(refuses(policy, port: 22))
    }

    @Test func anExplicitListReplacesTheDefault() {
        let (result, policy) = load("download_allowed_ports = 8443, 443 ,9000\n")
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.configuration.downloadAllowedPorts == [443, 8443, 9000])
        #expect(!refuses(policy, port: 9000))
        #expect(refuses(policy, port: 80))
    }

    @Test(arguments: ["*", "", " * "])
    func starOrEmptyMeansAnyPort(_ value: String) {
        let (result, policy) = load("download_allowed_ports = \(value)\n")
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.configuration.downloadAllowedPorts == nil)
        #expect(policy.allowedPorts == nil)
        #expect(!refuses(policy, port: 31_337))
        // Any port does not mean any address: private networks stay refused.
        #expect(throws: HTTPClientError.self) { try policy.check(host: "10.1.2.3", port: 31_337) }
    }

    @Test(arguments: ["0", "65536", "http", "80,x", "-1", "443;80", "*,80"])
    func badPortsAreProblemsNamingTheKey(_ value: String) {
        let (result, _) = load("download_allowed_ports = \(value)\n")
        #expect(result.problems.count == 1, "\(value): \(result.problems)")
        #expect(result.problems.first?.key == "download_allowed_ports")
        #expect(result.configuration.downloadAllowedPorts == [80, 443])
    }

    @Test func environmentOverridesTheFile() {
        let (result, policy) = load("download_allowed_ports = 8443\n",
                                    environment: ["IMAGEHOOK_DOWNLOAD_ALLOWED_PORTS": "4443"])
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.configuration.downloadAllowedPorts == [4443])
        #expect(result.origins["download_allowed_ports"] == .environment("IMAGEHOOK_DOWNLOAD_ALLOWED_PORTS"))
        #expect(policy.allowedPorts == [4443])
    }

    @Test func simulatorModeStillDownloadsFromAnyLoopbackPort() {
        let result = loadLocally("download_allowed_ports = 443\n")
        #expect(result.configuration.isSimulatorMode)
        let policy = result.configuration.downloadClientConfiguration.addressPolicy
        #expect(policy.allowedPorts == nil)
        #expect(throws: Never.self) { try policy.check(host: "127.0.0.1", port: 40_000) }
    }

    @Test func allowNetworksAndPortsCombineForLoopbackLinks() {
        let (result, policy) = load("download_allowed_ports = 40000\ndownload_allow_networks = 127.0.0.0/8\n")
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(throws: Never.self) { try policy.check(host: "127.0.0.1", port: 40_000) }
        #expect(throws: HTTPClientError.self) { try policy.check(host: "127.0.0.1", port: 40_001) }
        #expect(throws: HTTPClientError.self) { try policy.check(host: "10.0.0.1", port: 40_000) }
    }
}
