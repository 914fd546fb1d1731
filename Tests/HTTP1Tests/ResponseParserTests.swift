import Testing
@testable import HTTP1

/// RFC 9112 §4, §6.3 from the client side.
@Suite struct ResponseParserTests {
    static let framing: [ResponseVector] = [
        ResponseVector("Content-Length body", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
                       [responseHead(200, "OK", .http1_1, [("Content-Length", "2")], .contentLength(2)), .body(bytes("hi")), .end]),
        ResponseVector("empty reason with SP", "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n",
                       [responseHead(200, "", .http1_1, [("Content-Length", "0")], .contentLength(0)), .end]),
        ResponseVector("empty reason without SP", "HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n",
                       [responseHead(404, "", .http1_1, [("Content-Length", "0")], .contentLength(0)), .end]),
        ResponseVector("reason with spaces", "HTTP/1.0 503 Service  Unavailable\r\nContent-Length: 0\r\n\r\n",
                       [responseHead(503, "Service  Unavailable", .http1_0, [("Content-Length", "0")], .contentLength(0)), .end]),
        ResponseVector("HEAD: Content-Length describes nothing to read",
                       "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", method: "HEAD",
                       [responseHead(200, "OK", .http1_1, [("Content-Length", "10")], .none), .end]),
        ResponseVector("HEAD applies to one response only",
                       "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx", method: "HEAD",
                       [responseHead(200, "OK", .http1_1, [("Content-Length", "10")], .none), .end,
                        responseHead(200, "OK", .http1_1, [("Content-Length", "1")], .contentLength(1)), .body(bytes("x")), .end]),
        ResponseVector("204 has no body", "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
                       [responseHead(204, "No Content", .http1_1, [("Content-Length", "5")], .none), .end]),
        ResponseVector("304 has no body", "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
                       [responseHead(304, "Not Modified", .http1_1, [("Transfer-Encoding", "chunked")], .none), .end]),
        ResponseVector("CONNECT 2xx has no body", "HTTP/1.1 200 Connection established\r\n\r\n", method: "CONNECT",
                       [responseHead(200, "Connection established", .http1_1, [], .none), .end]),
        ResponseVector("CONNECT refused has a body", "HTTP/1.1 403 Forbidden\r\nContent-Length: 1\r\n\r\nx", method: "CONNECT",
                       [responseHead(403, "Forbidden", .http1_1, [("Content-Length", "1")], .contentLength(1)), .body(bytes("x")), .end]),
        ResponseVector("chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n1\r\nd\r\n0\r\nX-T: 1\r\n\r\n",
                       [responseHead(200, "OK", .http1_1, [("Transfer-Encoding", "chunked")], .chunked), .body(bytes("abcd")), .end]),
        ResponseVector("until close", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nabc", close: true,
                       [responseHead(200, "OK", .http1_1, [("Content-Type", "text/plain")], .untilClose), .body(bytes("abc")), .end]),
        ResponseVector("until close, empty body", "HTTP/1.0 200 OK\r\n\r\n", close: true,
                       [responseHead(200, "OK", .http1_0, [], .untilClose), .end]),
        ResponseVector("until close waits for the close", "HTTP/1.1 200 OK\r\n\r\nabc",
                       [responseHead(200, "OK", .http1_1, [], .untilClose), .body(bytes("abc"))]),
        ResponseVector("final coding not chunked: until close", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz", close: true,
                       [responseHead(200, "OK", .http1_1, [("Transfer-Encoding", "gzip")], .untilClose), .body(bytes("zz")), .end]),
        ResponseVector("100 Continue skipped",
                       "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
                       [responseHead(201, "Created", .http1_1, [("Content-Length", "0")], .contentLength(0)), .end]),
        ResponseVector("several 1xx with fields skipped",
                       "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
                       [responseHead(200, "OK", .http1_1, [("Content-Length", "1")], .contentLength(1)), .body(bytes("x")), .end]),
        ResponseVector("101 is returned", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n",
                       [responseHead(101, "Switching Protocols", .http1_1, [("Upgrade", "x")], .none), .end]),
        ResponseVector("identical Content-Length list", "HTTP/1.1 200 OK\r\nContent-Length: 1,1\r\n\r\nx",
                       [responseHead(200, "OK", .http1_1, [("Content-Length", "1,1")], .contentLength(1)), .body(bytes("x")), .end]),
        ResponseVector("two responses back to back",
                       "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nb\r\n0\r\n\r\n",
                       [responseHead(200, "OK", .http1_1, [("Content-Length", "1")], .contentLength(1)), .body(bytes("a")), .end,
                        responseHead(200, "OK", .http1_1, [("Transfer-Encoding", "chunked")], .chunked), .body(bytes("b")), .end]),
        ResponseVector("clean close between responses", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na", close: true,
                       [responseHead(200, "OK", .http1_1, [("Content-Length", "1")], .contentLength(1)), .body(bytes("a")), .end]),
    ]

    static let errors: [ResponseVector] = [
        ResponseVector("truncated Content-Length body", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", close: true,
                       [responseHead(200, "OK", .http1_1, [("Content-Length", "5")], .contentLength(5)), .body(bytes("ab"))],
                       error: .truncated),
        ResponseVector("truncated chunked body", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n", close: true,
                       [responseHead(200, "OK", .http1_1, [("Transfer-Encoding", "chunked")], .chunked), .body(bytes("abc"))],
                       error: .truncated),
        ResponseVector("truncated head", "HTTP/1.1 200 OK\r\nContent-Le", close: true, error: .truncated),
        ResponseVector("truncated status line", "HTTP/1.1 2", close: true, error: .truncated),
        ResponseVector("closed after only a 100 Continue", "HTTP/1.1 100 Continue\r\n\r\n", close: true, error: .truncated),
        ResponseVector("HTTP/2 version", "HTTP/2 200 OK\r\n\r\n", error: .badResponse("malformed status line")),
        ResponseVector("HTTP/2.0 version", "HTTP/2.0 200 OK\r\n\r\n", error: .badResponse("unsupported version HTTP/2.0")),
        ResponseVector("two-digit status", "HTTP/1.1 20 OK\r\n\r\n", error: .badResponse("malformed status code")),
        ResponseVector("status below 100", "HTTP/1.1 099 Low\r\n\r\n", error: .badResponse("status code 99 out of range")),
        ResponseVector("status above 599", "HTTP/1.1 600 High\r\n\r\n", error: .badResponse("status code 600 out of range")),
        ResponseVector("no SP before reason", "HTTP/1.1 200OK\r\n\r\n", error: .badResponse("malformed status line")),
        ResponseVector("control in reason", "HTTP/1.1 200 O\u{1}K\r\n\r\n", error: .badResponse("invalid character in reason phrase")),
        ResponseVector("whitespace before colon", "HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\nx",
                       error: .badResponse("whitespace before field colon")),
        ResponseVector("obs-fold", "HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\n\r\n", error: .badResponse("obsolete line folding")),
        ResponseVector("bare LF", "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", error: .badResponse("line ended by LF without CR")),
        ResponseVector("bare CR", "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", error: .badResponse("CR not followed by LF")),
        ResponseVector("NUL in value", "HTTP/1.1 200 OK\r\nX: a\u{0}b\r\n\r\n", error: .badResponse("invalid character in field value")),
        ResponseVector("differing Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                       error: .badResponse("differing Content-Length values")),
        ResponseVector("signed Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                       error: .badResponse("invalid Content-Length")),
        ResponseVector("TE with CL", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
                       error: .badResponse("both Transfer-Encoding and Content-Length")),
        ResponseVector("TE in HTTP/1.0", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                       error: .badResponse("Transfer-Encoding in an HTTP/1.0 response")),
        ResponseVector("chunked twice", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
                       error: .badResponse("chunked applied more than once")),
        ResponseVector("bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                       [responseHead(200, "OK", .http1_1, [("Transfer-Encoding", "chunked")], .chunked)],
                       error: .badResponse("missing chunk size")),
        ResponseVector("status line at limit", "HTTP/1.1 200 0123456\r\n\r\n", close: true, limits: limits { $0.maxStartLineBytes = 20 },
                       [responseHead(200, "0123456", .http1_1, [], .untilClose), .end]),
        ResponseVector("status line one over", "HTTP/1.1 200 01234567\r\n\r\n", limits: limits { $0.maxStartLineBytes = 20 },
                       error: .badResponse("status line too long")),
        ResponseVector("header section one over", "HTTP/1.1 200 OK\r\nX: 1234\r\n\r\n", limits: limits { $0.maxHeaderBytes = 8 },
                       error: .headerFieldsTooLarge),
        ResponseVector("too many fields", "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n\r\n", limits: limits { $0.maxHeaderCount = 1 },
                       error: .headerFieldsTooLarge),
        ResponseVector("Content-Length over the body limit", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
                       limits: limits { $0.maxBodyBytes = 4 },
                       [responseHead(200, "OK", .http1_1, [("Content-Length", "5")], .contentLength(5))], error: .payloadTooLarge),
        ResponseVector("until-close body over the body limit", "HTTP/1.1 200 OK\r\n\r\nhello", close: true,
                       limits: limits { $0.maxBodyBytes = 4 },
                       [responseHead(200, "OK", .http1_1, [], .untilClose), .body(bytes("hell"))], error: .payloadTooLarge),
    ]

    @Test(arguments: framing) func framingVector(_ v: ResponseVector) { v.check() }
    @Test(arguments: errors) func errorVector(_ v: ResponseVector) { v.check() }

    @Test func finishOnAnIdleConnectionIsAQuietEnd() throws {
        var p = HTTPResponseParser()
        #expect(try p.finish() == nil)
        #expect(p.isAtMessageBoundary && !p.hasBufferedBytes)
    }

    @Test func responseBodyLimitCanBeRaisedAfterTheHead() throws {
        var p = HTTPResponseParser(limits: limits { $0.maxBodyBytes = 1 })
        p.append(contentsOf: bytes("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"))
        guard case .head = try p.next() else { Issue.record("no head"); return }
        p.setBodyLimit(3)
        #expect(try p.next() == .body(bytes("abc")))
        #expect(try p.next() == .end)
    }
}
