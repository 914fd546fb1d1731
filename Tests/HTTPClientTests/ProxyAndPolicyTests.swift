import Foundation
import Testing
@testable import HTTPClient
import TestSupport

/// The address policy through `execute` (refusal before any connect) and CONNECT
/// tunnelling through a local proxy.
@Suite struct ProxyAndPolicyTests {
    @Test func loopbackPeerRefusedBeforeAnyConnectInEverySpelling() async throws {
        let peer = try TestPeer { c in c.write(response(headers: ["Content-Length: 0"], body: [])) }
        let client = HTTPClient(configuration: loopbackConfiguration {
            $0.addressPolicy = AddressPolicy(allowedPorts: nil)  // strict addresses, any port
        })
        for host in ["127.0.0.1", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "localhost", "[::1]"] {
            let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: "http://\(host):\(peer.port)/")) }
            guard case .refusedByPolicy = error else { Issue.record("\(host): \(String(describing: error))"); continue }
        }
        #expect(peer.connectionCount == 0)
    }

    @Test(arguments: ["10.0.0.1", "[::ffff:10.0.0.1]", "[64:ff9b::a00:1]", "[64:ff9b::7f00:1]", "169.254.169.254",
                      "100.64.0.1", "172.16.0.1", "192.168.0.1", "0.0.0.0", "[::]", "[fe80::1]", "[fc00::1]",
                      "224.0.0.1", "[ff02::1]", "255.255.255.255", "240.0.0.1", "[2002:a00:1::]"])
    func literalTargetsRefusedByStrictPolicy(_ host: String) async throws {
        let client = HTTPClient(configuration: HTTPClientConfiguration.imageDownload(proxy: .none))
        let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: "https://\(host)/image.png")) }
        guard case .refusedByPolicy(let why) = error else { Issue.record("\(host): \(String(describing: error))"); return }
        #expect(why.contains(" is "))
    }

    @Test func defaultPortsAndHostAllowList() async throws {
        let peer = try TestPeer { c in _ = c.readHead() }
        let ports = HTTPClient(configuration: loopbackConfiguration { $0.addressPolicy.allowedPorts = [80, 443] })
        let e1 = await clientError { _ = try await ports.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/")) }
        #expect(e1 == .refusedByPolicy("port \(peer.port) is not allowed"))
        let hosts = HTTPClient(configuration: loopbackConfiguration { $0.addressPolicy.allowedHosts = ["*.cdn.example"] })
        let e2 = await clientError { _ = try await hosts.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/")) }
        guard case .refusedByPolicy = e2 else { Issue.record("\(String(describing: e2))"); return }
        #expect(peer.connectionCount == 0)
    }

    @Test func httpsThroughConnectProxyWithCredentials() async throws {
        let dir = TemporaryDirectory()
        let certs = try await offPool { try TestCertificates(in: dir) }
        dir.write("index.txt", "through the tunnel", mode: 0o644)
        let server = try await offPool { try OpenSSLServer(certificates: certs, leaf: "good") }
        let log = HeadLog()
        let proxy = try makeConnectProxy(log: log)
        let settings = ProxySettings.fromEnvironment(["HTTPS_PROXY": "http://user:pass@127.0.0.1:\(proxy.port)"])
        let client = HTTPClient(configuration: loopbackConfiguration { $0.extraCAFile = certs.caFile; $0.proxy = settings })
        let r = try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(server.port)/index.txt"))
        #expect(r.body == Array("through the tunnel".utf8))
        let head = try #require(log.all.first)
        #expect(head.hasPrefix("CONNECT 127.0.0.1:\(server.port) HTTP/1.1\r\n"))
        #expect(head.contains("Proxy-Authorization: Basic dXNlcjpwYXNz"))
    }

    @Test func proxyRefusalAndPolicyStillAppliedToProxiedTargets() async throws {
        let log = HeadLog()
        let proxy = try makeConnectProxy(log: log, refuse: true)
        let settings = ProxySettings(httpsProxy: ProxyEndpoint(host: "127.0.0.1", port: proxy.port))
        let client = HTTPClient(configuration: loopbackConfiguration { $0.proxy = settings })
        let e1 = await clientError { _ = try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:9/x")) }
        guard case .connect(let why) = e1 else { Issue.record("\(String(describing: e1))"); return }
        #expect(why.contains("403"))
        #expect(proxy.connectionCount == 1)

        let strict = HTTPClient(configuration: .imageDownload(proxy: settings))
        let e2 = await clientError { _ = try await strict.execute(HTTPClientRequest(url: "https://[::ffff:10.0.0.1]/x")) }
        guard case .refusedByPolicy = e2 else { Issue.record("\(String(describing: e2))"); return }
        #expect(proxy.connectionCount == 1)  // refused before reaching the proxy
    }

    @Test func noProxyBypassesTheProxy() async throws {
        let log = HeadLog()
        let proxy = try makeConnectProxy(log: log)
        let peer = try TestPeer { c in
            _ = c.readHead()
            c.write(response(headers: ["Content-Length: 6"], body: Array("direct".utf8)))
        }
        let settings = ProxySettings.fromEnvironment([
            "HTTP_PROXY": "http://127.0.0.1:\(proxy.port)", "NO_PROXY": "127.0.0.0/8",
        ])
        let client = HTTPClient(configuration: loopbackConfiguration { $0.proxy = settings })
        let r = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/"))
        #expect(r.body == Array("direct".utf8))
        #expect(proxy.connectionCount == 0)
    }
}
