import HTTP1
import Testing
@testable import HTTPServer
import TestSupport

/// Framing details of responses the handler cannot get wrong.
@Suite struct HTTPServerFramingTests {
    @Test func noContentAndNotModifiedCarryNoBody() async throws {
        let handler = TestHandler { request, responder in
            let status = request.head.path == "/204" ? 204 : 304
            responder.send(HTTPServerResponse(status: status, body: .bytes(Array("ignored".utf8))))
        }
        let server = try TestServer(handler: handler)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /204 HTTP/1.1\r\nHost: a\r\n\r\nGET /304 HTTP/1.1\r\nHost: a\r\n\r\nGET /204 HTTP/1.1\r\nHost: a\r\n\r\n")
        let noContent = try await offPool { try client.response() }
        #expect(noContent.status == 204 && noContent.body.isEmpty)
        #expect(noContent.headers["Content-Length"] == nil)
        let notModified = try await offPool { try client.response() }
        #expect(notModified.status == 304 && notModified.body.isEmpty)
        #expect(try await offPool { try client.response() }.status == 204) // framing stayed in step
    }
}
