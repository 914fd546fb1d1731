import HTTP1
import HTTPServer
import Testing
import Support
import TestSupport

/// Keeps every record it is told about.
final class RecordingObserver: HTTPServerObserver {
    let records = Locked<[HTTPRequestRecord]>([])
    func requestCompleted(_ record: HTTPRequestRecord) { records.withLock { $0.append(record) } }
    var all: [HTTPRequestRecord] { records.withLock { $0 } }
}

@Suite struct HTTPServerObserverTests {
    static func observedServer() throws -> (TestServer, RecordingObserver) {
        let observer = RecordingObserver()
        var configuration = TestServer.quickConfiguration()
        configuration.observer = observer
        return (try TestServer(configuration: configuration), observer)
    }

    @Test func everyAnsweredRequestProducesExactlyOneRecord() async throws {
        let (server, observer) = try Self.observedServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("POST /v1/things/42?token=s3cret HTTP/1.1\r\nHost: x\r\nX-Request-Id: req-1\r\nContent-Length: 5\r\n\r\nhello")
        #expect(try await offPool { try client.response() }.status == 200)
        try client.send("HEAD /head HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try await offPool { try client.response(to: "HEAD") }.status == 200)

        // The record is made before the response is written, so it is there by now.
        let records = observer.all
        try #require(records.count == 2)
        let post = records[0]
        #expect(post.listenerName == "test")
        #expect(post.method == "POST")
        #expect(post.path == "/v1/things/42", "the query (which may carry a token) is cut off")
        #expect(post.status == 200)
        #expect(post.bytes == 5)
        #expect(post.requestID == "req-1")
        #expect(post.remoteAddress.hasPrefix("127.0.0.1:"))
        #expect(post.durationNanoseconds < 5_000_000_000)
        #expect(records[1].method == "HEAD" && records[1].path == "/head" && records[1].bytes == 0,
                "HEAD sends no body bytes")
    }

    @Test func errorResponsesWithoutARequestAreRecordedToo() async throws {
        let (server, observer) = try Self.observedServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /a b c\r\n\r\n")
        #expect(try await offPool { try client.response() }.status == 400)
        let records = observer.all
        try #require(records.count == 1)
        #expect(records[0].status == 400)
        // The request line was refused as a whole, but its method token was read (it
        // decides whether the error answer may carry content); the target was not.
        #expect(records[0].method == "GET" && records[0].path == "-")
    }
}
