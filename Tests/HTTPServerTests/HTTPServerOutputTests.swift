import Dispatch
import Glibc
import HTTP1
import Logging
import Testing
@testable import HTTPServer
import TestSupport

/// Back-pressure on the write path, the write deadline, and the access log.
@Suite struct HTTPServerOutputTests {
    @Test func largeResponseReachesASlowReaderWhole() async throws {
        let content = (0..<12_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let handler = TestHandler { _, responder in
            responder.send(HTTPServerResponse(status: 200, body: .bytes(content)))
        }
        let server = try TestServer(handler: handler)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\nGET /big HTTP/1.1\r\nHost: a\r\n\r\n")
        try await Task.sleep(for: .milliseconds(300)) // the server's output backs up meanwhile
        #expect(try await offPool { try client.response() }.body == content)
        #expect(try await offPool { try client.response() }.body == content)
    }

    @Test func peerThatStopsReadingIsDroppedAtTheWriteDeadline() async throws {
        var configuration = TestServer.quickConfiguration()
        configuration.writeTimeout = 0.5
        configuration.timerResolution = 0.05
        let content = [UInt8](repeating: 0x61, count: 32_000_000)
        let handler = TestHandler { _, responder in
            responder.send(HTTPServerResponse(status: 200, body: .bytes(content)))
        }
        let server = try TestServer(configuration: configuration, handler: handler)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        var closed = false
        for _ in 0..<100 {
            try await Task.sleep(for: .milliseconds(50))
            if server.server.connectionCount == 0 { closed = true; break }
        }
        #expect(closed)
    }

    @Test func accessLogHasPathWithoutQueryAndTheRequestID() async throws {
        let store = CapturingLogHandler.Store()
        let logger = Logger(label: "access") { _ in CapturingLogHandler(store: store) }
        let server = HTTPServer(name: "internal", configuration: TestServer.quickConfiguration(),
                                handler: TestHandler.echo, logger: logger)
        try server.start(address: "127.0.0.1:0")
        // Not waited for: a `defer` cannot await, and the port is this test's alone.
        defer { server.shutdown(deadline: 1) { [server] in _ = server } }
        let client = try TestClient(port: server.boundPort)
        try client.send("POST /v1/callbacks/x?token=secret HTTP/1.1\r\nHost: a\r\nX-Request-Id: rid-1\r\nContent-Length: 2\r\n\r\nhi")
        #expect(try await offPool { try client.response() }.status == 200)
        let record = try #require(store.all.first { $0.message == "request" })
        #expect(record.level == .info)
        #expect(record.metadata["path"] == "/v1/callbacks/x")
        #expect(record.metadata["method"] == "POST")
        #expect(record.metadata["status"] == "200")
        #expect(record.metadata["bytes"] == "2")
        #expect(record.metadata["request_id"] == "rid-1")
        #expect(record.metadata["remote"]?.hasPrefix("127.0.0.1:") == true)
        #expect(record.metadata["duration_ms"] != nil)
        #expect(!store.all.contains { "\($0.metadata)".contains("secret") })
    }
}
