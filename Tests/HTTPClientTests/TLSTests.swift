import Foundation
import Testing
@testable import HTTPClient
import TestSupport

/// Certificate verification against real `openssl s_server` and nginx peers using a
/// CA generated for the test.
@Suite struct TLSTests {
    func tlsError(leaf: String, host: String = "127.0.0.1", trustTestCA: Bool = true) async throws -> HTTPClientError? {
        let dir = TemporaryDirectory()
        let certs = try await offPool { try TestCertificates(in: dir) }
        dir.write("index.txt", "hello over tls", mode: 0o644)
        let server = try await offPool { try OpenSSLServer(certificates: certs, leaf: leaf) }
        let client = HTTPClient(configuration: loopbackConfiguration { $0.extraCAFile = trustTestCA ? certs.caFile : nil })
        return await clientError { _ = try await client.execute(HTTPClientRequest(url: "https://\(host):\(server.port)/index.txt")) }
    }

    @Test func goodCertificateByIPAndByName() async throws {
        let dir = TemporaryDirectory()
        let certs = try await offPool { try TestCertificates(in: dir) }
        dir.write("index.txt", "hello over tls", mode: 0o644)
        let server = try await offPool { try OpenSSLServer(certificates: certs, leaf: "good") }
        let client = HTTPClient(configuration: loopbackConfiguration {
            $0.extraCAFile = certs.caFile
            $0.addressPolicy.allowNetworks.append(IPNetwork("::1/128")!)
        })
        for host in ["127.0.0.1", "localhost"] {
            let r = try await client.execute(HTTPClientRequest(url: "https://\(host):\(server.port)/index.txt"))
            #expect(r.status == 200, "\(host)")
            #expect(r.body == Array("hello over tls".utf8), "\(host)")
        }
    }

    @Test func sniSentForNamesButNotForIPLiterals() async throws {
        let dir = TemporaryDirectory()
        let certs = try await offPool { try TestCertificates(in: dir) }
        dir.write("index.txt", "sni", mode: 0o644)
        // Without SNI the server presents the wrong-host certificate; with SNI
        // "localhost" it presents the good one.
        let server = try await offPool { try OpenSSLServer(certificates: certs, leaf: "wronghost", sniLeaf: "good") }
        let client = HTTPClient(configuration: loopbackConfiguration {
            $0.extraCAFile = certs.caFile
            $0.addressPolicy.allowNetworks.append(IPNetwork("::1/128")!)
        })
        let r = try await client.execute(HTTPClientRequest(url: "https://localhost:\(server.port)/index.txt"))
        #expect(r.body == Array("sni".utf8))
        let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(server.port)/index.txt")) }
        guard case .tls(let why) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(why.hasPrefix("hostname mismatch"))
    }

    @Test func wrongHostIsRefusedAsHostnameMismatch() async throws {
        let error = try await tlsError(leaf: "wronghost")
        guard case .tls(let why) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(why.hasPrefix("hostname mismatch"), "\(why)")
    }

    @Test func expiredCertificateIsRefusedAsExpired() async throws {
        let error = try await tlsError(leaf: "expired")
        guard case .tls(let why) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(why.hasPrefix("certificate expired"), "\(why)")
    }

    @Test func selfSignedCertificateIsRefusedAsUnknownIssuer() async throws {
        let error = try await tlsError(leaf: "selfsigned")
        guard case .tls(let why) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(why.hasPrefix("unknown issuer"), "\(why)")
    }

    @Test func testCAIsNotTrustedWithoutTheExtraCAFile() async throws {
        let error = try await tlsError(leaf: "good", trustTestCA: false)
        guard case .tls(let why) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(why.hasPrefix("unknown issuer"), "\(why)")
    }

    @Test func unreadableCAFileFailsEveryHTTPSRequest() async throws {
        let client = HTTPClient(configuration: loopbackConfiguration { $0.extraCAFile = "/nonexistent/ca.pem" })
        let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:1/")) }
        guard case .tls(let why) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(why.contains("/nonexistent/ca.pem"))
    }

    @Test func nginxGzipChunkedOverTLSAndNoDowngradeRedirect() async throws {
        let dir = TemporaryDirectory()
        let certs = try await offPool { try TestCertificates(in: dir) }
        try FileManager.default.createDirectory(atPath: dir.file("www"), withIntermediateDirectories: true)
        let text = Array((0..<20000).map { "line \($0)\n" }.joined().utf8)
        dir.write("www/big.txt", bytes: text, mode: 0o644)
        let locations = """
            location = /down { return 302 http://127.0.0.1:\(try TestPeer.freePort())/; }
            location = /hop { return 302 /big.txt; }
            location = /conn { return 200 "$connection_requests"; }
            """
        let nginx = try await offPool { try NginxServer(certificates: certs, extraLocations: locations) }
        let base = "https://127.0.0.1:\(nginx.port)"
        let decoding = HTTPClient(configuration: loopbackConfiguration { $0.extraCAFile = certs.caFile; $0.acceptCompressed = true })
        let r = try await decoding.execute(HTTPClientRequest(url: "\(base)/big.txt"))
        #expect(r.status == 200)
        #expect(r.body == text)
        #expect(r.headers["Content-Encoding"] == nil)
        // Reused for the next request (nginx keeps HTTP/1.1 connections alive).
        let hop = try await decoding.execute(HTTPClientRequest(url: "\(base)/hop"))
        #expect(hop.body == text && hop.url == "\(base)/big.txt")
        let conn = try await decoding.execute(HTTPClientRequest(url: "\(base)/conn"))
        #expect(String(decoding: conn.body, as: UTF8.self) == "4")  // fourth request on one TLS connection

        let exact = HTTPClient(configuration: loopbackConfiguration { $0.extraCAFile = certs.caFile })
        let raw = try await exact.execute(HTTPClientRequest(url: "\(base)/big.txt"))
        #expect(raw.body == text)  // nothing asked, nothing encoded

        let error = await clientError { _ = try await exact.execute(HTTPClientRequest(url: "\(base)/down")) }
        guard case .refusedByPolicy(let why) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(why.contains("https to http"))
    }
}
