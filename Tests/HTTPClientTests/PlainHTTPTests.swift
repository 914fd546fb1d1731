import Foundation
import Testing
@testable import HTTPClient

/// Content, framing, caps, pooling and redirects against raw loopback peers.
@Suite struct PlainHTTPTests {
    @Test func contentLengthBodyAndKeepAliveReuse() async throws {
        let peer = try TestPeer { c in
            while c.readHead() != nil { c.write(response(headers: ["Content-Length: 5"], body: Array("hello".utf8))) }
        }
        let client = HTTPClient(configuration: loopbackConfiguration())
        for _ in 0..<3 {
            let r = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/x"))
            #expect(r.status == 200 && r.body == Array("hello".utf8))
            #expect(r.url == "http://127.0.0.1:\(peer.port)/x")
        }
        #expect(peer.connectionCount == 1)
        #expect(client.idleConnectionCount == 1)
    }

    @Test func chunkedBodyWithTrailer() async throws {
        let peer = try TestPeer { c in
            guard c.readHead() != nil else { return }
            let body = chunked([Array("abc".utf8), Array(repeating: 0x41, count: 70000), Array("z".utf8)])
            var bytes = response(headers: ["Transfer-Encoding: chunked"], body: body)
            bytes.removeLast(2)
            bytes += Array("X-Trailer: 1\r\n\r\n".utf8)
            c.write(bytes)
        }
        let client = HTTPClient(configuration: loopbackConfiguration())
        let r = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/"))
        #expect(r.body == Array("abc".utf8) + Array(repeating: 0x41, count: 70000) + Array("z".utf8))
    }

    @Test func gzipDecodedOnlyWhenAskedForOtherwiseExactBytes() async throws {
        let original = Array((0..<3000).map { "row \($0)\n" }.joined().utf8)
        let gz = Compression.gzip(original)
        let log = HeadLog()
        let peer = try TestPeer { c in
            while let head = c.readHead() {
                log.append(head)
                let half = gz.count / 2
                c.write(response(headers: ["Transfer-Encoding: chunked", "Content-Encoding: gzip"],
                                 body: chunked([Array(gz[..<half]), Array(gz[half...])])))
            }
        }
        let decoding = HTTPClient(configuration: loopbackConfiguration { $0.acceptCompressed = true })
        let r1 = try await decoding.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/"))
        #expect(r1.body == original)
        #expect(r1.headers["Content-Encoding"] == nil)
        let exact = HTTPClient(configuration: loopbackConfiguration())
        let r2 = try await exact.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/"))
        #expect(r2.body == gz)
        #expect(r2.headers["Content-Encoding"] == "gzip")
        let heads = log.all
        #expect(heads.count == 2)
        #expect(heads.first?.lowercased().contains("accept-encoding: gzip, deflate") == true)
        #expect(heads.last?.lowercased().contains("accept-encoding") == false)
    }

    @Test func shortContentLengthIsTruncatedNeverSuccess() async throws {
        let peer = try TestPeer { c in
            guard c.readHead() != nil else { return }
            c.write(response(headers: ["Content-Length: 100"], body: Array(repeating: 1, count: 10)))
        }
        let client = HTTPClient(configuration: loopbackConfiguration())
        let sink = CollectingSink()
        let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/"), sink: sink) }
        #expect(error == .truncated)
        #expect(sink.bytes.count <= 10)
    }

    @Test func cutChunkedBodyIsTruncated() async throws {
        let peer = try TestPeer { c in
            guard c.readHead() != nil else { return }
            c.write(response(headers: ["Transfer-Encoding: chunked"], body: Array("10\r\nabc".utf8)))
        }
        let client = HTTPClient(configuration: loopbackConfiguration())
        let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/")) }
        #expect(error == .truncated)
    }

    @Test func bodyOverTheCapIsStoppedWhileReading() async throws {
        let cap = 100_000
        let peer = try TestPeer { c in
            while let head = c.readHead() {
                if head.hasPrefix("GET /declared") {
                    c.write(response(headers: ["Content-Length: 5000000"], body: []))
                    c.write(Array(repeating: 7, count: 5_000_000))
                } else if head.hasPrefix("GET /chunked") {
                    c.write(response(headers: ["Transfer-Encoding: chunked"], body: []))
                    for _ in 0..<300 { c.write(Array("4000\r\n".utf8) + Array(repeating: 7, count: 0x4000) + [13, 10]) }
                    c.write(Array("0\r\n\r\n".utf8))
                } else {
                    c.write(response(headers: ["Connection: close"], body: Array(repeating: 7, count: 3_000_000)))
                    return
                }
            }
        }
        let client = HTTPClient(configuration: loopbackConfiguration { $0.maxBodyBytes = cap })
        for path in ["declared", "chunked", "close"] {
            let sink = CollectingSink()
            let error = await clientError {
                _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/\(path)"), sink: sink)
            }
            #expect(error == .tooLarge, "\(path)")
            #expect(sink.bytes.count <= cap, "\(path)")
        }
    }

    @Test func gzipBombIsStoppedAtTheDecodedCap() async throws {
        let bomb = Compression.gzip([UInt8](repeating: 0, count: 20_000_000))
        let peer = try TestPeer { c in
            guard c.readHead() != nil else { return }
            c.write(response(headers: ["Content-Length: \(bomb.count)", "Content-Encoding: gzip"], body: bomb))
        }
        let cap = 1_000_000
        let client = HTTPClient(configuration: loopbackConfiguration { $0.acceptCompressed = true; $0.maxBodyBytes = cap })
        let sink = CollectingSink()
        let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/"), sink: sink) }
        #expect(error == .tooLarge)
        #expect(sink.bytes.count <= cap)
        #expect(bomb.count < cap)
    }

    @Test func redirectsFollowedWithRelativeLocation() async throws {
        let peer = try TestPeer { c in
            while let head = c.readHead() {
                if head.contains(" /a/start ") {
                    c.write(response(302, headers: ["Location: next/../final?x=1", "Content-Length: 3"], body: Array("abc".utf8)))
                } else {
                    c.write(response(headers: ["Content-Length: 2"], body: Array("ok".utf8)))
                }
            }
        }
        let client = HTTPClient(configuration: loopbackConfiguration())
        let r = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/a/start"))
        #expect(r.status == 200 && r.body == Array("ok".utf8))
        #expect(r.url == "http://127.0.0.1:\(peer.port)/a/final?x=1")
        #expect(peer.connectionCount == 1)  // the drained redirect body kept the connection

        let post = try await client.execute(HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(peer.port)/a/start"))
        #expect(post.status == 302)
    }

    @Test func largeRedirectBodyIsSkippedNotCountedAgainstTheCap() async throws {
        let peer = try TestPeer { c in
            while let head = c.readHead() {
                if head.hasPrefix("GET /big-redirect") {
                    c.write(response(302, headers: ["Location: /done", "Content-Length: 2000000"], body: []))
                    c.write([UInt8](repeating: 0x2e, count: 2_000_000))
                } else {
                    c.write(response(headers: ["Content-Length: 4"], body: Array("done".utf8)))
                }
            }
        }
        let client = HTTPClient(configuration: loopbackConfiguration { $0.maxBodyBytes = 1000 })
        let r = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/big-redirect"))
        #expect(r.body == Array("done".utf8))
        #expect(peer.connectionCount == 2)  // the oversized redirect body cost its connection
    }

    @Test func tooManyRedirectsAndRedirectToRefusedAddress() async throws {
        let log = HeadLog()
        let peer = try TestPeer { c in
            while let head = c.readHead() {
                log.append(head)
                if head.hasPrefix("GET /loop") {
                    c.write(response(301, headers: ["Location: /loop", "Content-Length: 0"], body: []))
                } else {
                    c.write(response(302, headers: ["Location: http://169.254.169.254/latest/meta-data/", "Content-Length: 0"], body: []))
                }
            }
        }
        let client = HTTPClient(configuration: loopbackConfiguration())
        let e1 = await clientError { _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/loop")) }
        #expect(e1 == .tooManyRedirects(3))
        #expect(log.all.count == 4)  // the original and three followed hops
        let e2 = await clientError { _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/meta")) }
        guard case .refusedByPolicy(let why) = e2 else { Issue.record("\(String(describing: e2))"); return }
        #expect(why.contains("169.254.169.254") && why.contains("link-local"))
    }

    @Test func staleReusedConnectionRetriedForGetButNeverForPost() async throws {
        // Each connection answers its first request, then reads the next one and closes
        // without answering: what a server that timed out the idle connection does.
        let log = HeadLog()
        let peer = try TestPeer { c in
            guard let head = c.readHead() else { return }
            log.append(head)
            if head.hasPrefix("POST") { _ = c.readBytes(4) }
            c.write(response(headers: ["Content-Length: 2"], body: Array("ok".utf8)))
            if let second = c.readHead() { log.append(second) }
        }
        let client = HTTPClient(configuration: loopbackConfiguration())
        let url = "http://127.0.0.1:\(peer.port)/"
        _ = try await client.execute(HTTPClientRequest(url: url))
        let again = try await client.execute(HTTPClientRequest(url: url))
        #expect(again.body == Array("ok".utf8))
        #expect(peer.connectionCount == 2)

        let post = HTTPClientRequest(method: "POST", url: url, body: Array("data".utf8))
        let error = await clientError { _ = try await client.execute(post) }
        #expect(error != nil && error?.isRetryable == true)
        #expect(peer.connectionCount == 2)  // no second connection for the POST
        #expect(log.all.filter { $0.hasPrefix("POST") }.count == 1)
    }

    @Test func plainHTTPRefusedUnlessConfigured() async throws {
        let peer = try TestPeer { c in _ = c.readHead() }
        let client = HTTPClient(configuration: loopbackConfiguration { $0.allowPlainHTTP = false })
        let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/")) }
        guard case .refusedByPolicy = error else { Issue.record("\(String(describing: error))"); return }
        #expect(peer.connectionCount == 0)
    }

    @Test func headerInjectionRefused() async throws {
        let client = HTTPClient(configuration: loopbackConfiguration())
        var request = HTTPClientRequest(url: "http://127.0.0.1:1/")
        request.headers.add(name: "X-A", value: "1\r\nX-Injected: 2")
        let error = await clientError { _ = try await client.execute(request) }
        guard case .invalidRequest = error else { Issue.record("\(String(describing: error))"); return }
    }
}
