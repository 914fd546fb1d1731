import Foundation
import Logging
import Testing
@testable import Daemon

@Suite struct ConfigParsingTests {
    @Test func anEmptyFileWithTheSimulatorChosenNeedsNothingElse() {
        let result = loadLocally("")
        #expect(result.problems.isEmpty)
        #expect(result.configuration == localDefaults)
        #expect(result.configuration.isSimulatorMode)
        #expect(result.configuration.publicListen.description == "127.0.0.1:8080")
        #expect(result.configuration.internalListen.description == "127.0.0.1:8081")
    }

    @Test func commentsBlankLinesAndSpacingAreAccepted() {
        let text = """
        # a comment
           # an indented comment

        public_listen=127.0.0.1:9000
          internal_listen   =   [::1]:9001\r
        provider_base_url = https://sim.example/#fragment-kept
        """
        let result = loadLocally(text)
        #expect(result.problems.isEmpty)
        #expect(result.configuration.publicListen == ListenAddress("127.0.0.1:9000"))
        #expect(result.configuration.internalListen.description == "[::1]:9001")
        #expect(result.configuration.providerBaseURL == "https://sim.example/#fragment-kept")
    }

    @Test func everyKeyAcceptsItsDocumentedDefault() {
        // Each key's default text must parse and yield the struct's default value.
        for key in DaemonConfiguration.keys {
            let result = loadLocally("\(key.name) = \(key.defaultText)")
            #expect(result.problems.isEmpty, "\(key.name): \(result.problems)")
            #expect(result.configuration == localDefaults, "\(key.name) default differs")
        }
    }

    @Test func typedValuesAndUnits() {
        let text = """
        header_timeout = 500ms
        body_timeout = 2m
        idle_timeout = 1.5
        write_timeout = 1h
        max_body_bytes = 2MiB
        callback_max_body_bytes = 64KiB
        readyz_min_free_bytes = 3GiB
        max_header_bytes = 4096
        download_workers = 8
        download_allow_networks = 10.0.0.0/8, fd00::/8
        download_allowed_hosts = CDN.example.com, files.example.org
        trusted_proxy_header = x-forwarded-for
        trusted_proxies = 192.0.2.1/32
        log_level = DEBUG
        extra_ca_file = /etc/ssl/extra.pem
        """
        let result = loadLocally(text)
        #expect(result.problems.isEmpty, "\(result.problems)")
        let c = result.configuration
        #expect(c.headerTimeout == 0.5)
        #expect(c.bodyTimeout == 120)
        #expect(c.idleTimeout == 1.5)
        #expect(c.writeTimeout == 3600)
        #expect(c.maxBodyBytes == 2 << 20)
        #expect(c.callbackMaxBodyBytes == 64 << 10)
        #expect(c.readyzMinFreeBytes == 3 << 30)
        #expect(c.maxHeaderBytes == 4096)
        #expect(c.downloadWorkers == 8)
        #expect(c.downloadAllowNetworks.map(\.description) == ["10.0.0.0/8", "fd00::/8"])
        #expect(c.downloadAllowedHosts == ["cdn.example.com", "files.example.org"])
        #expect(c.trustedProxyHeader == "X-Forwarded-For")
        #expect(c.trustedProxies.map(\.description) == ["192.0.2.1/32"])
        #expect(c.logLevel == .debug)
        #expect(c.extraCAFile == "/etc/ssl/extra.pem")
    }

    @Test func everyProblemIsReportedAtOnceWithItsLine() {
        let text = """
        public_listen = localhost:8080
        not a setting
        header_timout = 10s
        max_body_bytes = lots
        download_workers = 0
        # fine
        download_allow_networks = 10.0.0.0/33, 192.168.0.0/16
        log_level = loud
        public_listen = 127.0.0.1:1
        Bad-Key = 1
        data_dir = relative/path
        """
        let result = loadLocally(text)
        let byLine = Dictionary(grouping: result.problems, by: { $0.line ?? -1 })
        #expect(byLine[1]?.first?.key == "public_listen")
        #expect(byLine[2]?.first?.message.contains("key = value") == true)
        #expect(byLine[3]?.first?.message.contains("unknown key") == true)
        #expect(byLine[3]?.first?.message.contains("header_timeout") == true, "suggests the near miss")
        #expect(byLine[4]?.first?.key == "max_body_bytes")
        #expect(byLine[5]?.first?.key == "download_workers")
        #expect(byLine[7]?.first?.message.contains("10.0.0.0/33") == true)
        #expect(byLine[7]?.first?.message.contains("192.168.0.0/16") == false)
        #expect(byLine[8]?.first?.key == "log_level")
        #expect(byLine[9]?.first?.message.contains("set twice (first on line 1)") == true)
        #expect(byLine[10]?.first?.message.contains("invalid key") == true)
        #expect(byLine[11]?.first?.key == "data_dir")
        #expect(result.problems.count == 10)
        let rendered = result.problems.map { $0.render(file: "/etc/imagehook.conf") }
        #expect(rendered.contains { $0.hasPrefix("/etc/imagehook.conf:4: max_body_bytes: ") })
    }

    @Test func environmentOverridesTheFile() {
        let text = """
        public_listen = 127.0.0.1:9000
        data_dir = /srv/a
        """
        let env = [
            "IMAGEHOOK_PUBLIC_LISTEN": "[::1]:7000",
            "IMAGEHOOK_INTERNAL_LISTEN": "127.0.0.2:7001",
            "IMAGEHOOK_DATA_DIR": "/srv/b",
            "IMAGEHOOK_LOG_LEVEL": "warning",
            "IMAGEHOOK_URL": "http://127.0.0.1:8081",  // a client variable: not a key, not an error
            "PATH": "/usr/bin",
        ]
        let result = loadLocally(text, env)
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.configuration.publicListen.description == "[::1]:7000")
        #expect(result.configuration.internalListen.description == "127.0.0.2:7001")
        #expect(result.configuration.dataDir == "/srv/b")
        #expect(result.configuration.logLevel == .warning)
        #expect(result.origins["data_dir"] == .environment("IMAGEHOOK_DATA_DIR"))
    }

    @Test func everyKeyHasAnEnvironmentOverride() {
        for key in DaemonConfiguration.keys {
            // provider's own default (evolink) needs a key; the local choice shows the override.
            let value = key.name == "provider" ? "simulator" : key.defaultText
            let result = loadLocally("", [key.environmentName: value])
            #expect(result.problems.isEmpty, "\(key.environmentName): \(result.problems)")
            #expect(result.origins[key.name] == .environment(key.environmentName))
        }
    }

    @Test func badEnvironmentValuesAndUnknownVariablesAreProblems() {
        let env = ["IMAGEHOOK_PUBLIC_LISTEN": "8080", "IMAGEHOOK_DATADIR": "/x"]
        let result = loadLocally("", env)
        #expect(result.problems.count == 2)
        #expect(result.problems.contains { $0.origin == .environment("IMAGEHOOK_PUBLIC_LISTEN") && $0.key == "public_listen" })
        #expect(result.problems.contains { $0.origin == .environment("IMAGEHOOK_DATADIR") && $0.message.contains("data_dir") })
    }

    @Test func listenAddressesAreLiteralsOnly() {
        #expect(ListenAddress("127.0.0.1:0") != nil)
        #expect(ListenAddress("[::]:443")?.isIPv6 == true)
        #expect(ListenAddress("localhost:80") == nil)
        #expect(ListenAddress("127.0.0.1") == nil)
        #expect(ListenAddress("127.0.0.1:65536") == nil)
        #expect(ListenAddress("127.0.0.1:-1") == nil)
        #expect(ListenAddress("::1:80") == nil)
        #expect(ListenAddress("[::1]80") == nil)
    }

    @Test func networkPrefixesMatchAddresses() {
        let v4 = NetworkPrefix("10.1.0.0/16")!
        #expect(v4.contains("10.1.200.3"))
        #expect(!v4.contains("10.2.0.1"))
        let v6 = NetworkPrefix("fd00::/8")!
        #expect(v6.contains("fd12::1"))
        #expect(!v6.contains("fe80::1"))
        #expect(NetworkPrefix("1.2.3.4")?.length == 32)
        #expect(NetworkPrefix("1.2.3.4/") == nil)
        #expect(NetworkPrefix("::/129") == nil)
    }

    @Test func simulatorModeAllowsHTTPPublicURL() {
        let result = loadLocally("public_url = http://127.0.0.1:8080/")
        #expect(result.problems.isEmpty)
        #expect(result.configuration.publicURL == "http://127.0.0.1:8080")
    }

    @Test func sameAddressForBothListenersIsRefused() {
        let result = loadLocally("public_listen = 127.0.0.1:9000\ninternal_listen = 127.0.0.1:9000")
        #expect(result.problems.map(\.key) == ["internal_listen"])
        #expect(result.problems.first?.line == 2)
    }
}
