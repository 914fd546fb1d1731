import Foundation
import Testing
@testable import HTTPClient

/// Names that are not `inet_pton` literals are judged on the address they resolve to,
/// directly and through a proxy: the proxy is asked for the checked address, never the
/// name, so it cannot widen the policy.
@Suite struct HostSpellingAndProxyPolicyTests {
    /// Spellings the C resolver turns into 127.0.0.1 (inet_aton forms, the absolute
    /// name with its trailing dot).
    static let loopbackSpellings = ["127.1", "0x7f.1", "2130706433", "0177.0.0.1", "0x7f000001", "localhost.", "localhost",
                                    "127.0.0.1.", "127.1.", "localhost.."]

    static func strictAnyPort(_ modify: (inout HTTPClientConfiguration) -> Void = { _ in }) -> HTTPClientConfiguration {
        loopbackConfiguration {
            $0.addressPolicy = AddressPolicy(allowedPorts: nil)
            modify(&$0)
        }
    }

    @Test(arguments: loopbackSpellings)
    func nonLiteralSpellingsAreJudgedOnTheResolvedAddress(_ host: String) async throws {
        let peer = try TestPeer { c in c.write(response(headers: ["Content-Length: 0"], body: [])) }
        let client = HTTPClient(configuration: Self.strictAnyPort())
        let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: "http://\(host):\(peer.port)/")) }
        guard case .refusedByPolicy(let why) = error else { Issue.record("\(host): \(String(describing: error))"); return }
        #expect(why.contains("loopback"), "\(why)")
        #expect(peer.connectionCount == 0)
    }

    @Test(arguments: loopbackSpellings)
    func nonLiteralSpellingsAreJudgedBeforeTheProxySeesThem(_ host: String) async throws {
        let log = HeadLog()
        let proxy = try makeConnectProxy(log: log)
        let client = HTTPClient(configuration: Self.strictAnyPort {
            $0.proxy = ProxySettings(httpProxy: ProxyEndpoint(host: "127.0.0.1", port: proxy.port))
        })
        let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: "http://\(host):9/")) }
        guard case .refusedByPolicy = error else { Issue.record("\(host): \(String(describing: error))"); return }
        #expect(proxy.connectionCount == 0)
    }

    @Test func unicodeHostNamesAreRefusedBeforeAnyLookup() async throws {
        let client = HTTPClient(configuration: Self.strictAnyPort())
        let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: "https://bücher.example/x.png")) }
        guard case .invalidRequest = error else { Issue.record("\(String(describing: error))"); return }
    }

    @Test func punycodeNamesAreJudgedOnWhatTheyResolveTo() async throws {
        // "bücher.example" as it travels (IDNA A-label), answered with loopback and with
        // a mapped private address by the resolver.
        let answers: [String: [IPAddress]] = [
            "xn--bcher-kva.example": [IPAddress("127.0.0.1")!],
            "xn--mnchen-3ya.example": [IPAddress("93.184.215.14")!, IPAddress("::ffff:10.0.0.7")!],
        ]
        let client = HTTPClient(configuration: Self.strictAnyPort {
            $0.hostLookup = HostLookup { host in answers[host].map { .success($0) } ?? .failure(.dns("\(host): unknown")) }
        })
        for host in answers.keys.sorted() {
            let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: "http://\(host)/x.png")) }
            guard case .refusedByPolicy = error else { Issue.record("\(host): \(String(describing: error))"); continue }
        }
    }

    @Test func restrictedClientTunnelsToTheAddressItCheckedNotTheName() async throws {
        let peer = try TestPeer { c in
            _ = c.readHead()
            c.write(response(headers: ["Content-Length: 2"], body: Array("ok".utf8)))
        }
        let log = HeadLog()
        let proxy = try makeConnectProxy(log: log)
        let proxied = ProxySettings(httpProxy: ProxyEndpoint(host: "127.0.0.1", port: proxy.port))
        // Loopback allowed by the operator: "localhost" resolves here and the proxy is
        // asked for 127.0.0.1, so its own resolver plays no part.
        let download = HTTPClient(configuration: loopbackConfiguration {
            $0.addressPolicy = AddressPolicy(allowNetworks: [IPNetwork("127.0.0.0/8")!, IPNetwork("::1/128")!],
                                             allowedPorts: nil)
            $0.proxy = proxied
        })
        let r = try await download.execute(HTTPClientRequest(url: "http://localhost:\(peer.port)/"))
        #expect(r.body == Array("ok".utf8))
        let head = try #require(log.all.first)
        #expect(head.hasPrefix("CONNECT 127.0.0.1:\(peer.port) HTTP/1.1\r\n") || head.hasPrefix("CONNECT [::1]:\(peer.port) "),
                "\(head)")

        // A trusted client (the provider API) keeps the proxy's name resolution.
        let provider = HTTPClient(configuration: loopbackConfiguration {
            $0.addressPolicy = .trusted
            $0.proxy = proxied
        })
        _ = try await provider.execute(HTTPClientRequest(url: "http://localhost:\(peer.port)/"))
        #expect(log.all.count == 2)
        #expect(log.all.last?.hasPrefix("CONNECT localhost:\(peer.port) HTTP/1.1\r\n") == true)
    }

    @Test func imageDownloadsIgnoreTheEnvironmentProxy() {
        // The preset takes no proxy from anywhere unless one is passed in.
        #expect(HTTPClientConfiguration.imageDownload().proxy == .none)
        let named = ProxySettings(httpsProxy: ProxyEndpoint(host: "127.0.0.1", port: 3128))
        #expect(HTTPClientConfiguration.imageDownload(proxy: named).proxy == named)
    }
}
