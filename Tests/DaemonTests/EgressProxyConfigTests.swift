import Foundation
import HTTPClient
import Testing
@testable import Daemon

/// `download_proxy` / `relay_proxy`: downloads and relays never take the environment's
/// proxy; only a named one. Provider calls keep the environment's.
@Suite struct EgressProxyConfigTests {
    @Test func downloadsAndRelaysAreDirectUnlessAProxyIsNamed() {
        let result = loadLocally("")
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.configuration.downloadClientConfiguration.proxy == .none)
        #expect(result.configuration.relayClientConfiguration.proxy == .none)
    }

    @Test func aNamedProxyIsUsedForBothSchemes() {
        let result = loadLocally("download_proxy = http://127.0.0.1:3128\nrelay_proxy = http://[::1]:8888\n")
        #expect(result.problems.isEmpty, "\(result.problems)")
        let download = result.configuration.downloadClientConfiguration.proxy
        #expect(download.httpsProxy == ProxyEndpoint(host: "127.0.0.1", port: 3128))
        #expect(download.httpProxy == ProxyEndpoint(host: "127.0.0.1", port: 3128))
        #expect(result.configuration.relayClientConfiguration.proxy.httpsProxy == ProxyEndpoint(host: "::1", port: 8888))
        // The download policy still restricts addresses, so the client resolves and
        // checks targets itself (HostSpellingAndProxyPolicyTests shows it on the wire).
        var provider = result.configuration
        provider.providerAPIKeyFile = SecretReference("/run/imagehook/evolink-api-key")
        #expect(provider.downloadClientConfiguration.addressPolicy.restrictAddresses)
    }

    @Test func badOrCredentialedProxiesAreRefused() {
        for bad in ["https://proxy:3128", "http://user:pw@proxy:3128", "socks5://proxy:1080", "http://"] {
            let result = loadLocally("download_proxy = \(bad)\n")
            #expect(result.problems.contains { $0.key == "download_proxy" }, "\(bad): \(result.problems)")
        }
    }
}
