import Testing
@testable import HTTP1

/// RFC 9112 §2.2, §3: the request line.
@Suite struct RequestLineTests {
    static let vectors: [RequestVector] = [
        RequestVector("simple GET", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", [requestHead(), .end]),
        RequestVector("origin-form target with query", "GET /v1/tasks?x=1&y=%20 HTTP/1.1\r\nHost: a\r\n\r\n",
                      [requestHead("GET", "/v1/tasks?x=1&y=%20"), .end]),
        RequestVector("extension method token", "PURGE! * HTTP/1.1\r\nHost: a\r\n\r\n", [requestHead("PURGE!", "*"), .end]),
        RequestVector("HTTP/1.0 without Host", "GET /x HTTP/1.0\r\n\r\n", [requestHead("GET", "/x", .http1_0, []), .end]),
        RequestVector("one leading empty line tolerated", "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", [requestHead(), .end]),
        RequestVector("two leading empty lines refused", "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
                      error: .badRequest("more than one empty line before the start line")),
        RequestVector("two SP before target", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", error: .badRequest("empty request target")),
        RequestVector("two SP before version", "GET /  HTTP/1.1\r\nHost: a\r\n\r\n", error: .badRequest("malformed HTTP version")),
        RequestVector("trailing SP after version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", error: .badRequest("malformed HTTP version")),
        RequestVector("leading SP", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", error: .badRequest("empty method")),
        RequestVector("HTAB as separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", error: .badRequest("invalid character in method")),
        RequestVector("non-token method", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", error: .badRequest("invalid character in method")),
        RequestVector("no target, no version", "GET\r\nHost: a\r\n\r\n", error: .badRequest("malformed request line")),
        RequestVector("missing version", "GET /\r\nHost: a\r\n\r\n", error: .badRequest("missing HTTP version")),
        RequestVector("control in target", "GET /a\u{1}b HTTP/1.1\r\nHost: a\r\n\r\n",
                      error: .badRequest("invalid character in request target")),
        RequestVector("DEL in target", "GET /a\u{7F}b HTTP/1.1\r\nHost: a\r\n\r\n",
                      error: .badRequest("invalid character in request target")),
        RequestVector("non-ASCII in target", "GET /caf\u{E9} HTTP/1.1\r\nHost: a\r\n\r\n",
                      error: .badRequest("invalid character in request target")),
        RequestVector("HTTP/2.0 -> 505", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", error: .versionNotSupported),
        RequestVector("HTTP/0.9 -> 505", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", error: .versionNotSupported),
        RequestVector("HTTP/1.2 -> 505", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", error: .versionNotSupported),
        RequestVector("lowercase version", "GET / http/1.1\r\nHost: a\r\n\r\n", error: .badRequest("malformed HTTP version")),
        RequestVector("two-digit minor", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", error: .badRequest("malformed HTTP version")),
        RequestVector("short version", "GET / HTTP/1\r\nHost: a\r\n\r\n", error: .badRequest("malformed HTTP version")),
        RequestVector("bare LF ends request line", "GET / HTTP/1.1\nHost: a\r\n\r\n",
                      error: .badRequest("line ended by LF without CR")),
        RequestVector("bare CR in request line", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n",
                      error: .badRequest("CR not followed by LF")),
        RequestVector("bare LF as leading empty line", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
                      error: .badRequest("line ended by LF without CR")),
    ]

    @Test(arguments: vectors) func requestLine(_ v: RequestVector) { v.check() }

    @Test func errorStatusCodes() {
        #expect(HTTPParseError.badRequest("x").status == 400)
        #expect(HTTPParseError.uriTooLong.status == 414)
        #expect(HTTPParseError.headerFieldsTooLarge.status == 431)
        #expect(HTTPParseError.payloadTooLarge.status == 413)
        #expect(HTTPParseError.notImplemented("x").status == 501)
        #expect(HTTPParseError.versionNotSupported.status == 505)
        #expect(HTTPParseError.badResponse("x").status == 400)
        #expect(HTTPParseError.truncated.status == 400)
    }

    @Test func parserStaysDeadAfterAnError() {
        var p = HTTPRequestParser()
        p.append(contentsOf: bytes("GET / HTTP/9.9\r\n"))
        #expect(throws: HTTPParseError.versionNotSupported) { try p.next() }
        p.append(contentsOf: bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(throws: HTTPParseError.versionNotSupported) { try p.next() }
    }
}
