import Testing
@testable import HTTP1

/// Every limit: exactly at it is accepted, one byte (or field) over is refused with its
/// status, and the refusal does not wait for a terminator that may never come.
@Suite struct RequestLimitTests {
    /// A request line of exactly `length` bytes: "GET /aaa... HTTP/1.1".
    static func requestLine(_ length: Int) -> String {
        "GET /" + String(repeating: "a", count: length - 14) + " HTTP/1.1"
    }

    static func target(_ length: Int) -> String { "/" + String(repeating: "a", count: length - 14) }

    static let startLine: [RequestVector] = [
        RequestVector("request line at limit", requestLine(40) + "\r\nHost: a\r\n\r\n", limits: limits { $0.maxStartLineBytes = 40 },
                      [requestHead("GET", target(40)), .end]),
        RequestVector("request line one over", requestLine(41) + "\r\nHost: a\r\n\r\n", limits: limits { $0.maxStartLineBytes = 40 },
                      error: .uriTooLong),
        RequestVector("request line at limit, no CRLF yet: waits", requestLine(40) + "\r", limits: limits { $0.maxStartLineBytes = 40 }),
        RequestVector("one over without CRLF: refused at once", requestLine(41), limits: limits { $0.maxStartLineBytes = 40 },
                      error: .uriTooLong),
        RequestVector("default 8 KiB request line at limit", requestLine(8192) + "\r\nHost: a\r\n\r\n",
                      [requestHead("GET", target(8192)), .end]),
        RequestVector("default 8 KiB request line one over", requestLine(8193) + "\r\n", error: .uriTooLong),
    ]

    // "Host: a\r\n" is 9 bytes, "X-P: " + n + "\r\n" is n + 7.
    static let headerSection: [RequestVector] = [
        RequestVector("header section at limit", "GET / HTTP/1.1\r\nHost: a\r\nX-P: 0123456789\r\n\r\n",
                      limits: limits { $0.maxHeaderBytes = 26 },
                      [requestHead("GET", "/", .http1_1, [("Host", "a"), ("X-P", "0123456789")]), .end]),
        RequestVector("header section one over", "GET / HTTP/1.1\r\nHost: a\r\nX-P: 0123456789\r\n\r\n",
                      limits: limits { $0.maxHeaderBytes = 25 }, error: .headerFieldsTooLarge),
        RequestVector("endless field refused without its CRLF", "GET / HTTP/1.1\r\nHost: a\r\nX-P: " + String(repeating: "b", count: 200),
                      limits: limits { $0.maxHeaderBytes = 100 }, error: .headerFieldsTooLarge),
        RequestVector("field count at limit", "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", limits: limits { $0.maxHeaderCount = 3 },
                      [requestHead("GET", "/", .http1_1, [("Host", "a"), ("A", "1"), ("B", "2")]), .end]),
        RequestVector("field count one over", "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n",
                      limits: limits { $0.maxHeaderCount = 3 }, error: .headerFieldsTooLarge),
        RequestVector("default 100 fields accepted", "GET / HTTP/1.1\r\nHost: a\r\n" + manyFields(99) + "\r\n",
                      [requestHead("GET", "/", .http1_1, [("Host", "a")] + manyFieldPairs(99)), .end]),
        RequestVector("default 101 fields refused", "GET / HTTP/1.1\r\nHost: a\r\n" + manyFields(100) + "\r\n",
                      error: .headerFieldsTooLarge),
    ]

    static func manyFieldPairs(_ n: Int) -> [(String, String)] { (0..<n).map { ("F\($0)", "v") } }
    static func manyFields(_ n: Int) -> String { manyFieldPairs(n).map { "\($0.0): \($0.1)\r\n" }.joined() }

    static let body: [RequestVector] = [
        RequestVector("Content-Length at the route limit", "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", bodyLimit: 5,
                      [requestHead("PUT", "/", .http1_1, [("Host", "a"), ("Content-Length", "5")], .contentLength(5)),
                       .body(bytes("hello")), .end]),
        RequestVector("Content-Length one over the route limit", "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\nhello!",
                      bodyLimit: 5,
                      [requestHead("PUT", "/", .http1_1, [("Host", "a"), ("Content-Length", "6")], .contentLength(6))],
                      error: .payloadTooLarge),
        RequestVector("Content-Length at limits.maxBodyBytes", "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc",
                      limits: limits { $0.maxBodyBytes = 3 },
                      [requestHead("PUT", "/", .http1_1, [("Host", "a"), ("Content-Length", "3")], .contentLength(3)),
                       .body(bytes("abc")), .end]),
        RequestVector("Content-Length over limits.maxBodyBytes", "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nabcd",
                      limits: limits { $0.maxBodyBytes = 3 },
                      [requestHead("PUT", "/", .http1_1, [("Host", "a"), ("Content-Length", "4")], .contentLength(4))],
                      error: .payloadTooLarge),
    ]

    @Test(arguments: startLine) func startLineVector(_ v: RequestVector) { v.check() }
    @Test(arguments: headerSection) func headerSectionVector(_ v: RequestVector) { v.check() }
    @Test(arguments: body) func bodyLimitVector(_ v: RequestVector) { v.check() }

    @Test func bodyLimitIsCheckedOnlyAfterTheCallerCouldRaiseIt() throws {
        var p = HTTPRequestParser(limits: limits { $0.maxBodyBytes = 10 })
        p.append(contentsOf: bytes("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 20\r\n\r\n"))
        guard case .head = try p.next() else { Issue.record("no head"); return }
        p.setBodyLimit(20)
        p.append(contentsOf: [UInt8](repeating: 7, count: 20))
        #expect(try p.next() == .body([UInt8](repeating: 7, count: 20)))
        #expect(try p.next() == .end)
        // The raised limit applied to that message only.
        p.append(contentsOf: bytes("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 20\r\n\r\n"))
        guard case .head = try p.next() else { Issue.record("no second head"); return }
        #expect(throws: HTTPParseError.payloadTooLarge) { try p.next() }
    }

    @Test func declaredLengthIsNeverAllocatedAndBodyStreams() throws {
        var p = HTTPRequestParser()
        p.append(contentsOf: bytes("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 1125899906842624\r\n\r\nab"))
        guard case .head(let head) = try p.next() else { Issue.record("no head"); return }
        #expect(head.framing == .contentLength(1 << 50))
        p.setBodyLimit(Int.max)
        #expect(try p.next() == .body(bytes("ab")))
        #expect(try p.next() == nil)
        p.append(contentsOf: bytes("cd"))
        #expect(try p.next() == .body(bytes("cd")))
        #expect(try p.next() == nil)
        #expect(!p.isAtMessageBoundary)
    }
}
