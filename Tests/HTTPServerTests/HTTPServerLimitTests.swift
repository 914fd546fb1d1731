import Dispatch
import Glibc
import HTTP1
import Testing
@testable import HTTPServer
import TestSupport

/// Each configured limit answered with its status code, on live sockets.
@Suite struct HTTPServerLimitTests {
    @Test func longRequestLineIs414() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: a\r\n\r\n")
        let response = try await offPool { try client.response() }
        #expect(response.status == 414)
        #expect(response.headers["Connection"] == "close")
    }

    @Test func largeHeaderSectionIs431() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        let big = String(repeating: "v", count: 8000)
        var request = "GET / HTTP/1.1\r\nHost: a\r\n"
        for index in 0..<9 { request += "X-Big-\(index): \(big)\r\n" }
        try client.send(request + "\r\n")
        #expect(try await offPool { try client.response() }.status == 431)
    }

    @Test func tooManyHeaderFieldsIs431() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        var request = "GET / HTTP/1.1\r\nHost: a\r\n"
        for index in 0..<100 { request += "X-F\(index): 1\r\n" }
        try client.send(request + "\r\n")
        #expect(try await offPool { try client.response() }.status == 431)

        // Exactly 100 fields (Host included) is still fine.
        let ok = try TestClient(port: server.port)
        var fine = "GET / HTTP/1.1\r\nHost: a\r\n"
        for index in 0..<99 { fine += "X-F\(index): 1\r\n" }
        try ok.send(fine + "\r\n")
        #expect(try await offPool { try ok.response() }.status == 200)
    }

    @Test func bodyOverTheRouteLimitIs413() async throws {
        var handler = TestHandler.echo
        handler.limit = 100
        let server = try TestServer(handler: handler)
        defer { server.stop() }
        let declared = try TestClient(port: server.port)
        try declared.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n")
        let response = try await offPool { try declared.response() }
        #expect(response.status == 413)
        #expect(response.text.contains(#""code":"payload_too_large""#))

        let chunked = try TestClient(port: server.port)
        try chunked.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n"
            + String(repeating: "x", count: 100) + "\r\n1\r\nx\r\n")
        #expect(try await offPool { try chunked.response() }.status == 413)
    }

    @Test func connectionsOverTheLimitGet503() async throws {
        var configuration = TestServer.quickConfiguration()
        configuration.maxConnections = 2
        let server = try TestServer(configuration: configuration)
        defer { server.stop() }
        let first = try TestClient(port: server.port)
        let second = try TestClient(port: server.port)
        for client in [first, second] {
            try client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try await offPool { try client.response() }.status == 200)
        }
        let third = try TestClient(port: server.port)
        try third.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        let rejected = try await offPool { try third.response() }
        #expect(rejected.status == 503)
        #expect(rejected.headers["Connection"] == "close")
        #expect(await offPool { third.closedByServer() })
        // The admitted ones are still served.
        try first.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try await offPool { try first.response() }.status == 200)
    }

    @Test func slowHeaderIsCutAtTheDeadlineWhileOthersAreServed() async throws {
        var configuration = TestServer.quickConfiguration()
        configuration.headerTimeout = 1
        configuration.timerResolution = 0.05
        let server = try TestServer(configuration: configuration)
        defer { server.stop() }
        let started = HTTPSocket.monotonicNanoseconds()
        let slow = try TestClient(port: server.port)
        let other = try TestClient(port: server.port)
        let trickle = Array("GET / HTTP/1.1\r\nHost: a\r\nX-Slow: abcdefghijklmnopqrstuvwxyz".utf8)
        // The trickle paces itself with blocking polls, so it runs off the pool.
        let (cutAfter, served) = try await offPool { () throws -> (Double?, Int) in
            var cutAfter: Double?
            var served = 0
            for index in 0..<40 {
                if (try? slow.send([trickle[index % trickle.count]])) == nil { break }
                try other.send("GET /other HTTP/1.1\r\nHost: a\r\n\r\n")
                if try other.response().status == 200 { served += 1 }
                var poller = pollfd(fd: slow.fd, events: Int16(POLLIN), revents: 0)
                if poll(&poller, 1, 100) > 0 {
                    cutAfter = Double(HTTPSocket.monotonicNanoseconds() - started) / 1e9
                    break
                }
            }
            return (cutAfter, served)
        }
        let cut = try #require(cutAfter)
        #expect(cut >= 0.9 && cut < 2.0)
        #expect(served >= 5)
        #expect(try await offPool { try slow.response() }.status == 408)
        #expect(await offPool { slow.closedByServer() })
    }

    @Test func thousandIdleConnectionsDoNotStopService() async throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < 2500 {
            limit.rlim_cur = min(limit.rlim_max, 4096)
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        let server = try TestServer()
        defer { server.stop() }
        var idle: [TestClient] = []
        for _ in 0..<1000 { idle.append(try TestClient(port: server.port)) }
        let active = try TestClient(port: server.port)
        for index in 0..<20 {
            try active.send("GET /busy\(index) HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try await offPool { try active.response() }.headers["X-Path"] == "/busy\(index)")
        }
        var counted = 0
        for _ in 0..<100 {
            counted = server.server.connectionCount
            if counted >= 1001 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(counted == 1001)
        // Idle ones are still usable.
        for client in [idle[0], idle[499], idle[999]] {
            try client.send("GET /late HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try await offPool { try client.response() }.status == 200)
        }
    }
}
