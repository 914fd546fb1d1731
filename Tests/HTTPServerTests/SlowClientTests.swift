import Foundation
import Glibc
import HTTP1
import Testing
import TestSupport
@testable import HTTPServer
import Support

/// Slow clients cost a connection only until their deadline (issue 10, "Slow clients"):
/// a slowloris head (header deadline), a slow body (body deadline) and a slow reader of
/// a large file response (drain deadline: it keeps reading, so the progress-based write
/// deadline never fires) are each cut, all at once, while a normal keep-alive client is
/// served throughout.
@Suite struct SlowClientTests {
    static let headerTimeout = 1.0
    static let bodyTimeout = 1.0
    static let drainTimeout = 1.5
    static let bigBytes = 24 << 20

    @Test(.timeLimit(.minutes(1)))
    func slowClientsAreCutAtTheirDeadlinesWhileANormalClientIsServed() async throws {
        let directory = TemporaryDirectory()
        let big = directory.write("big.bin", bytes: [UInt8](repeating: 0x5A, count: Self.bigBytes))
        var configuration = TestServer.quickConfiguration()
        configuration.headerTimeout = Self.headerTimeout
        configuration.bodyTimeout = Self.bodyTimeout
        configuration.writeTimeout = 10
        configuration.drainTimeout = Self.drainTimeout
        configuration.timerResolution = 0.05
        let handler = TestHandler { request, responder in
            if request.head.path == "/big" {
                responder.send(HTTPServerResponse(status: 200, body: .file(path: big, offset: 0, length: Self.bigBytes)))
            } else {
                responder.send(HTTPServerResponse(status: 200, body: .bytes(Array("ok".utf8))))
            }
        }
        let server = try TestServer(configuration: configuration, handler: handler)
        defer { server.stop() }
        let port = server.port

        let done = Locked(0)
        async let loris = offPool { try Self.slowloris(port: port) }
        async let body = offPool { try Self.slowBody(port: port) }
        async let reader = offPool { try Self.slowReader(port: port) }
        async let normal = offPool { try Self.normalClient(port: port, until: done, slowClients: 3) }

        let lorisResult = try await loris
        done.withLock { $0 += 1 }
        let bodyResult = try await body
        done.withLock { $0 += 1 }
        let readerResult = try await reader
        done.withLock { $0 += 1 }
        let latencies = try await normal

        #expect(lorisResult.status == 408, "slowloris: \(lorisResult)")
        #expect(lorisResult.cutAfter >= Self.headerTimeout - 0.1 && lorisResult.cutAfter < Self.headerTimeout + 1.5,
                "slowloris cut after \(lorisResult.cutAfter) s, header deadline \(Self.headerTimeout) s")
        #expect(bodyResult.status == 408, "slow body: \(bodyResult)")
        #expect(bodyResult.cutAfter >= Self.bodyTimeout - 0.1 && bodyResult.cutAfter < Self.bodyTimeout + 1.5,
                "slow body cut after \(bodyResult.cutAfter) s, body deadline \(Self.bodyTimeout) s")
        // Without the drain deadline the reader would get every byte in its fast phase
        // and then wait on an open keep-alive connection (no end of stream).
        #expect(readerResult.sawEnd, "slow reader: the connection was not closed: \(readerResult)")
        #expect(readerResult.bytes < Self.bigBytes, "slow reader received the whole body: \(readerResult)")

        let sorted = latencies.sorted()
        #expect(sorted.count >= 20, "the normal client got only \(sorted.count) answers meanwhile")
        let p99 = sorted.isEmpty ? .infinity : sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
        // A normal client must never wait anything like a slow client's deadline.
        #expect(p99 < 0.5, "normal client p99 \(p99) s over \(sorted.count) requests")
    }

    /// A head trickled a byte every 50 ms; returns the status it got and when the
    /// answer arrived, counted from connect.
    static func slowloris(port: Int) throws -> (status: Int, cutAfter: Double) {
        let client = try TestClient(port: port)
        let started = Date()
        let trickle = Array("GET / HTTP/1.1\r\nHost: a\r\nX-Slow: abcdefghijklmnopqrstuvwxyz".utf8)
        for index in 0..<200 {
            if (try? client.send([trickle[index % trickle.count]])) == nil { break }
            var poller = pollfd(fd: client.fd, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 50) > 0 { break }
        }
        let cutAfter = Date().timeIntervalSince(started)
        return ((try? client.response().status) ?? -1, cutAfter)
    }

    /// A complete head announcing 100 KB, then a body byte every 50 ms.
    static func slowBody(port: Int) throws -> (status: Int, cutAfter: Double) {
        let client = try TestClient(port: port)
        try client.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n")
        let started = Date()
        for _ in 0..<200 {
            if (try? client.send([0x61])) == nil { break }
            var poller = pollfd(fd: client.fd, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 50) > 0 { break }
        }
        let cutAfter = Date().timeIntervalSince(started)
        return ((try? client.response().status) ?? -1, cutAfter)
    }

    /// Asks for the large file, reads 4 KiB every 10 ms (steady progress) for twice the
    /// drain deadline, then reads as fast as it can until end of stream (bounded).
    static func slowReader(port: Int) throws -> (bytes: Int, sawEnd: Bool) {
        let client = try TestClient(port: port, timeout: 3)
        var small: Int32 = 16 * 1024
        setsockopt(client.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        try client.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n")
        let started = Date()
        var bytes = 0
        while Date().timeIntervalSince(started) < drainTimeout * 2 {
            guard let piece = try? client.receive(upTo: 4096) else { return (bytes, false) }
            if piece.isEmpty { return (bytes, true) }
            bytes += piece.count
            usleep(10_000)
        }
        let end = Date().addingTimeInterval(10)
        while Date() < end {
            guard let piece = try? client.receive() else { return (bytes, false) }
            if piece.isEmpty { return (bytes, true) }
            bytes += piece.count
        }
        return (bytes, false)
    }

    /// One keep-alive connection asking for a small response in a loop until every slow
    /// client is done; returns each request's latency in seconds.
    static func normalClient(port: Int, until done: Locked<Int>, slowClients: Int) throws -> [Double] {
        let client = try TestClient(port: port)
        var latencies: [Double] = []
        let end = Date().addingTimeInterval(30)
        while done.withLock({ $0 }) < slowClients && Date() < end {
            let began = Date()
            try client.send("GET /small HTTP/1.1\r\nHost: a\r\n\r\n")
            guard try client.response().status == 200 else { break }
            latencies.append(Date().timeIntervalSince(began))
            usleep(5_000)
        }
        return latencies
    }
}
