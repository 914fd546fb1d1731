import Foundation
import Testing
@testable import HTTPClient

/// Keep-alive pool bounds and expiry, HEAD/POST framing, interim responses.
@Suite struct PoolAndMethodTests {
    static func echoPeer(log: HeadLog) throws -> TestPeer {
        try TestPeer { c in
            while let head = c.readHead() {
                log.append(head)
                let length = head.split(separator: "\r\n")
                    .first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                let body = c.readBytes(length) ?? []
                if head.hasPrefix("HEAD") {
                    c.write(response(headers: ["Content-Length: 1000"], body: []))
                } else {
                    c.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                    c.write(response(headers: ["Content-Length: \(body.count + 5)"], body: Array("echo:".utf8) + body))
                }
            }
        }
    }

    @Test func postBodyHeadWithoutBodyAndInterimResponses() async throws {
        let log = HeadLog()
        let peer = try Self.echoPeer(log: log)
        let client = HTTPClient(configuration: loopbackConfiguration())
        let url = "http://127.0.0.1:\(peer.port)/submit"
        let post = try await client.execute(HTTPClientRequest(method: "POST", url: url, headers: ["Content-Type": "application/json"],
                                                              body: Array("{\"a\":1}".utf8)))
        #expect(post.status == 200 && post.body == Array("echo:{\"a\":1}".utf8))
        let head = try await client.execute(HTTPClientRequest(method: "HEAD", url: url))
        #expect(head.status == 200 && head.body.isEmpty && head.headers["Content-Length"] == "1000")
        let get = try await client.execute(HTTPClientRequest(url: url))
        #expect(get.body == Array("echo:".utf8))
        #expect(peer.connectionCount == 1)  // HEAD's declared length did not desync the connection
        let first = try #require(log.all.first)
        #expect(first.hasPrefix("POST /submit HTTP/1.1\r\n"))
        #expect(first.contains("Host: 127.0.0.1:\(peer.port)\r\n"))
        #expect(first.contains("Content-Length: 7\r\n"))
        #expect(first.contains("User-Agent: imagehook\r\n"))
    }

    @Test func poolIsBoundedPerOriginAndExpiresIdleConnections() async throws {
        let log = HeadLog()
        let peer = try Self.echoPeer(log: log)
        let url = "http://127.0.0.1:\(peer.port)/"
        let bounded = HTTPClient(configuration: loopbackConfiguration { $0.maxIdleConnectionsPerOrigin = 2 })
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<6 { group.addTask { _ = try? await bounded.execute(HTTPClientRequest(url: url)) } }
        }
        #expect(bounded.idleConnectionCount <= 2)
        #expect(bounded.idleConnectionCount >= 1)

        let expiring = HTTPClient(configuration: loopbackConfiguration { $0.idleConnectionExpiry = 0 })
        let before = peer.connectionCount
        _ = try await expiring.execute(HTTPClientRequest(url: url))
        try await Task.sleep(nanoseconds: 20_000_000)
        _ = try await expiring.execute(HTTPClientRequest(url: url))
        #expect(peer.connectionCount == before + 2)

        let noPool = HTTPClient(configuration: loopbackConfiguration { $0.maxIdleConnectionsPerOrigin = 0 })
        _ = try await noPool.execute(HTTPClientRequest(url: url))
        #expect(noPool.idleConnectionCount == 0)
        #expect(log.all.last?.contains("Connection: close\r\n") == true)
    }

    @Test func bufferedExecuteHonoursTheCapToo() async throws {
        let peer = try TestPeer { c in
            _ = c.readHead()
            c.write(response(headers: ["Transfer-Encoding: chunked"], body: chunked([[UInt8](repeating: 1, count: 5000)])))
        }
        let client = HTTPClient(configuration: loopbackConfiguration { $0.maxBodyBytes = 4999 })
        let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/")) }
        #expect(error == .tooLarge)
    }

    @Test func rawDeflateBodyDecoded() async throws {
        let original = Array(String(repeating: "deflate me ", count: 500).utf8)
        let raw = Compression.compress(original, windowBits: -15)
        let peer = try TestPeer { c in
            _ = c.readHead()
            c.write(response(headers: ["Content-Length: \(raw.count)", "Content-Encoding: deflate"], body: raw))
        }
        let client = HTTPClient(configuration: loopbackConfiguration { $0.acceptCompressed = true })
        let r = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/"))
        #expect(r.body == original)
    }
}
