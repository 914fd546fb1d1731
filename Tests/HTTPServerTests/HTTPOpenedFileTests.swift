import Glibc
import Testing
@testable import HTTPServer
import TestSupport

/// Bodies from files the handler opened off the event loop (`.opened`): the server sends
/// them without opening anything itself, and the descriptor is closed exactly once,
/// whether the body was written or not.
@Suite struct HTTPOpenedFileTests {
    @Test func openedFilesAreStreamedAndHeadGetsOnlyTheLength() async throws {
        let directory = TemporaryDirectory()
        let content = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let path = directory.write("blob.bin", bytes: content)
        let handler = TestHandler { request, responder in
            guard let opened = HTTPOpenedFile.open(path: path) else {
                responder.send(HTTPServerResponse.serverError(500))
                return
            }
            let body: HTTPResponseBody = request.head.path == "/part"
                ? .opened(opened, offset: 10, length: 100)
                : request.head.path == "/long" ? .opened(opened, offset: 0, length: opened.size + 1)
                : .opened(opened, offset: 0, length: opened.size)
            responder.send(HTTPServerResponse(status: 200, body: body))
        }
        let server = try TestServer(handler: handler)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /all HTTP/1.1\r\nHost: a\r\n\r\nHEAD /all HTTP/1.1\r\nHost: a\r\n\r\n"
            + "GET /part HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try await offPool { try client.response() }.body == content)
        let head = try await offPool { try client.response(to: "HEAD") }
        #expect(head.headers["Content-Length"] == "\(content.count)")
        #expect(head.body.isEmpty)
        #expect(try await offPool { try client.response() }.body == Array(content[10..<110]))
        // A body longer than the file is refused before a byte of it is sent.
        try client.send("GET /long HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try await offPool { try client.response() }.status == 500)
    }

    @Test func aDescriptorIsHandedOutOnceAndOnlyForRegularFiles() throws {
        let directory = TemporaryDirectory()
        let path = directory.write("f.bin", bytes: [1, 2, 3])
        let opened = try #require(HTTPOpenedFile.open(path: path))
        #expect(opened.size == 3)
        let fd = try #require(opened.take())
        #expect(opened.take() == nil, "a second take must not hand out the same descriptor")
        #expect(fcntl(fd, F_GETFD) != -1)
        _ = close(fd)
        #expect(HTTPOpenedFile.open(path: directory.path) == nil, "a directory is not a file body")
        #expect(HTTPOpenedFile.open(path: path + ".none") == nil)
    }
}
