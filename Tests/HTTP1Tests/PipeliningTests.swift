import Testing
@testable import HTTP1

/// RFC 9112 §9.3.2: pipelined requests, and the boundary state a server relies on.
@Suite struct PipeliningTests {
    static let three = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
        + "POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
        + "POST /3 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n"
        + "\r\n" // a stray CRLF after a body is tolerated once (RFC 9112 §2.2)
        + "GET /4 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"

    static let vectors: [RequestVector] = [
        RequestVector("four pipelined requests", three, [
            requestHead("GET", "/1"), .end,
            requestHead("POST", "/2", .http1_1, [("Host", "a"), ("Content-Length", "3")], .contentLength(3)), .body(bytes("abc")), .end,
            requestHead("POST", "/3", .http1_1, [("Host", "a"), ("Transfer-Encoding", "chunked")], .chunked), .body(bytes("xy")), .end,
            requestHead("GET", "/4", .http1_0, [("Connection", "keep-alive")]), .end,
        ]),
        RequestVector("error in second request after a good first", "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\n\r\n",
                      [requestHead("GET", "/1"), .end], error: .badRequest("missing Host field")),
    ]

    @Test(arguments: vectors) func pipelined(_ v: RequestVector) { v.check() }

    @Test func boundaryAndBufferedState() throws {
        var p = HTTPRequestParser()
        #expect(p.isAtMessageBoundary && !p.hasBufferedBytes)
        let first = bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi")
        let second = bytes("GET /n HT")
        (first + second).withUnsafeBytes { p.append($0) }
        guard case .head = try p.next() else { Issue.record("no head"); return }
        #expect(!p.isAtMessageBoundary)
        #expect(try p.next() == .body(bytes("hi")))
        #expect(!p.isAtMessageBoundary)
        #expect(try p.next() == .end)
        #expect(p.isAtMessageBoundary && p.hasBufferedBytes)
        #expect(try p.next() == nil)
        // A partial request line is buffered, not consumed: still a boundary, bytes pending.
        #expect(p.isAtMessageBoundary && p.hasBufferedBytes)
        p.append(contentsOf: bytes("TP/1.1\r\nHost: a\r\n\r\n"))
        #expect(try p.next() == requestHead("GET", "/n"))
        #expect(try p.next() == .end)
        #expect(p.isAtMessageBoundary && !p.hasBufferedBytes)
    }

    @Test func noBodyMeansEndRightAfterHead() throws {
        var p = HTTPRequestParser()
        p.append(contentsOf: bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(try p.next() == requestHead())
        #expect(!p.isAtMessageBoundary)
        #expect(try p.next() == .end)
        #expect(try p.next() == nil)
    }
}
