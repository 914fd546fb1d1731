import Dispatch
import Glibc
import HTTP1
import Testing
@testable import HTTPServer
import TestSupport

/// Live-socket tests of the request/response protocol on 127.0.0.1.
@Suite struct HTTPServerProtocolTests {
    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        for index in 0..<5 {
            try client.send("GET /k\(index) HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try await offPool { try client.response() }
            #expect(response.status == 200)
            #expect(response.headers["X-Path"] == "/k\(index)")
            #expect(response.headers["Connection"] == nil)
            #expect(response.headers["Content-Length"] == "0")
            #expect(response.headers["Date"]?.hasSuffix(" GMT") == true)
        }
    }

    @Test func pipelinedResponsesKeepRequestOrderWhenTheHandlerAnswersOutOfOrder() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        // The first request is answered 300 ms after the second and third.
        try client.send("GET /slow1 HTTP/1.1\r\nHost: a\r\n\r\nGET /fast2 HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /fast3 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc")
        let first = try await offPool { try client.response() }
        let second = try await offPool { try client.response() }
        let third = try await offPool { try client.response() }
        #expect(first.headers["X-Path"] == "/slow1")
        #expect(second.headers["X-Path"] == "/fast2")
        #expect(third.headers["X-Path"] == "/fast3")
        #expect(third.text == "abc")
    }

    @Test func expectContinueGets100BeforeTheBodyIsSent() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("PUT /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        let interim = try await offPool { try client.receive(exactly: 25) }
        #expect(String(decoding: interim, as: UTF8.self) == "HTTP/1.1 100 Continue\r\n\r\n")
        try client.send("hello")
        let response = try await offPool { try client.response() }
        #expect(response.status == 200)
        #expect(response.text == "hello")
    }

    @Test func expectContinueWithTooLargeLengthGets413InsteadOf100() async throws {
        var handler = TestHandler.echo
        handler.limit = 1000
        let server = try TestServer(handler: handler)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("PUT /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\nExpect: 100-continue\r\n\r\n")
        let response = try await offPool { try client.response() }
        #expect(response.status == 413)
        #expect(response.headers["Connection"] == "close")
        #expect(await offPool { client.closedByServer() })
    }

    @Test func chunkedUploadIsReassembled() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
        try client.send("6;ext=1\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n")
        let response = try await offPool { try client.response() }
        #expect(response.status == 200)
        #expect(response.text == "hello world")
        #expect(response.headers["Content-Length"] == "11")
    }

    @Test func headGetsTheLengthButNoBody() async throws {
        let handler = TestHandler { _, responder in
            responder.send(.json(200, Array(#"{"status":"ok"}"#.utf8)))
        }
        let server = try TestServer(handler: handler)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        // A GET right behind the HEAD shows that no body bytes followed the HEAD's head.
        try client.send("HEAD /h HTTP/1.1\r\nHost: a\r\n\r\nGET /h HTTP/1.1\r\nHost: a\r\n\r\n")
        let head = try await offPool { try client.response(to: "HEAD") }
        #expect(head.status == 200)
        #expect(head.headers["Content-Length"] == "15")
        #expect(head.body.isEmpty)
        let get = try await offPool { try client.response() }
        #expect(get.text == #"{"status":"ok"}"#)
    }

    @Test func http10ClosesUnlessKeepAliveWasAsked() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let plain = try TestClient(port: server.port)
        try plain.send("GET /a HTTP/1.0\r\n\r\n")
        let closing = try await offPool { try plain.response() }
        #expect(closing.status == 200)
        #expect(closing.headers["Connection"] == "close")
        #expect(await offPool { plain.closedByServer() })

        let persistent = try TestClient(port: server.port)
        for _ in 0..<2 {
            try persistent.send("GET /b HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
            let response = try await offPool { try persistent.response() }
            #expect(response.status == 200)
            #expect(response.headers["Connection"] == "keep-alive")
        }
    }

    @Test func connectionCloseTokenListEndsTheConnection() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /a HTTP/1.1\r\nHost: a\r\nConnection: foo, CLOSE\r\n\r\nGET /never HTTP/1.1\r\nHost: a\r\n\r\n")
        let response = try await offPool { try client.response() }
        #expect(response.headers["X-Path"] == "/a")
        #expect(response.headers["Connection"] == "close")
        #expect(await offPool { client.closedByServer() })
    }

    @Test func parseErrorsAreAnsweredWithJSONAndClose() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
        let response = try await offPool { try client.response() }
        #expect(response.status == 400)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(response.headers["Connection"] == "close")
        #expect(response.text.hasPrefix(#"{"error":{"code":"bad_request","message":""#))
        #expect(response.text.hasSuffix(#""}}"#))
        #expect(await offPool { client.closedByServer() })
    }

    @Test func contentLengthWithTransferEncodingIsRejected() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        let response = try await offPool { try client.response() }
        #expect(response.status == 400)
        #expect(response.headers["Connection"] == "close")
        #expect(await offPool { client.closedByServer() })
    }

    @Test func unsupportedVersionIs505() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET / HTTP/2.0\r\nHost: a\r\n\r\n")
        #expect(try await offPool { try client.response() }.status == 505)
    }

    @Test func requestIDIsKeptWhenSaneAndReplacedOtherwise() async throws {
        let handler = TestHandler { request, responder in
            responder.send(HTTPServerResponse(status: 200, body: .bytes(Array(request.requestID.utf8))))
        }
        let server = try TestServer(handler: handler)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: a\r\nX-Request-Id: abc-123\r\n\r\n")
        let kept = try await offPool { try client.response() }
        #expect(kept.headers["X-Request-Id"] == "abc-123")
        #expect(kept.text == "abc-123")
        try client.send("GET / HTTP/1.1\r\nHost: a\r\nX-Request-Id: bad id;\r\n\r\n")
        let replaced = try await offPool { try client.response() }
        #expect(replaced.headers["X-Request-Id"] != "bad id;")
        #expect(replaced.headers["X-Request-Id"] == replaced.text)
        #expect(!replaced.text.isEmpty)
    }

    @Test func fileBodiesAreStreamedFromDisk() async throws {
        let directory = TemporaryDirectory()
        let content = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let path = directory.write("blob.bin", bytes: content)
        let handler = TestHandler { request, responder in
            let range = request.head.path == "/part" ? (1000, 5000) : (0, content.count)
            var response = HTTPServerResponse(status: 200, body: .file(path: path, offset: range.0, length: range.1))
            if request.head.path == "/missing" {
                response.body = .file(path: path + ".none", offset: 0, length: 1)
            }
            responder.send(response)
        }
        let server = try TestServer(handler: handler)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /all HTTP/1.1\r\nHost: a\r\n\r\nGET /part HTTP/1.1\r\nHost: a\r\n\r\n")
        let all = try await offPool { try client.response() }
        #expect(all.body == content)
        let part = try await offPool { try client.response() }
        #expect(part.body == Array(content[1000..<6000]))
        try client.send("GET /missing HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try await offPool { try client.response() }.status == 500)
    }

    @Test func handlerHeadersCannotSplitTheResponse() async throws {
        let handler = TestHandler { _, responder in
            responder.send(HTTPServerResponse(status: 200, headers: [
                "X-Good": "yes", "X-Evil": "a\r\nSet-Cookie: x=1", "Content-Length": "99",
            ]))
        }
        let server = try TestServer(handler: handler)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        let response = try await offPool { try client.response() }
        #expect(response.headers["X-Good"] == "yes")
        #expect(response.headers["X-Evil"] == nil)
        #expect(response.headers["Set-Cookie"] == nil)
        #expect(response.headers.values("Content-Length") == ["0"])
    }
}
