import Testing
@testable import HTTP1

/// RFC 9112 §6, RFC 9110 §8.6: Content-Length and Transfer-Encoding on requests.
@Suite struct RequestFramingTests {
    static func post(_ fields: String, _ body: String = "") -> String {
        "POST /u HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n" + body
    }

    static func postHead(_ fields: [(String, String)], _ framing: HTTPBodyFraming) -> HTTPRequestEvent {
        requestHead("POST", "/u", .http1_1, [("Host", "a")] + fields, framing)
    }

    static let contentLength: [RequestVector] = [
        RequestVector("Content-Length body", post("Content-Length: 5\r\n", "hello"),
                      [postHead([("Content-Length", "5")], .contentLength(5)), .body(bytes("hello")), .end]),
        RequestVector("Content-Length 0", post("Content-Length: 0\r\n"),
                      [postHead([("Content-Length", "0")], .contentLength(0)), .end]),
        RequestVector("leading zeros", post("Content-Length: 005\r\n", "hello"),
                      [postHead([("Content-Length", "005")], .contentLength(5)), .body(bytes("hello")), .end]),
        RequestVector("identical list collapses", post("Content-Length: 5, 5\r\n", "hello"),
                      [postHead([("Content-Length", "5, 5")], .contentLength(5)), .body(bytes("hello")), .end]),
        RequestVector("identical fields collapse", post("Content-Length: 5\r\ncontent-length: 5\r\n", "hello"),
                      [postHead([("Content-Length", "5"), ("content-length", "5")], .contentLength(5)), .body(bytes("hello")), .end]),
        RequestVector("differing list", post("Content-Length: 5, 6\r\n"), error: .badRequest("differing Content-Length values")),
        RequestVector("differing fields", post("Content-Length: 5\r\nContent-Length: 6\r\n"),
                      error: .badRequest("differing Content-Length values")),
        RequestVector("plus sign", post("Content-Length: +5\r\n"), error: .badRequest("invalid Content-Length")),
        RequestVector("minus sign", post("Content-Length: -5\r\n"), error: .badRequest("invalid Content-Length")),
        RequestVector("hex", post("Content-Length: 0x5\r\n"), error: .badRequest("invalid Content-Length")),
        RequestVector("space inside", post("Content-Length: 1 2\r\n"), error: .badRequest("invalid Content-Length")),
        RequestVector("empty", post("Content-Length:\r\n"), error: .badRequest("invalid Content-Length")),
        RequestVector("empty list element", post("Content-Length: 5,\r\n"), error: .badRequest("invalid Content-Length")),
        RequestVector("decimal point", post("Content-Length: 5.0\r\n"), error: .badRequest("invalid Content-Length")),
        RequestVector("overflow", post("Content-Length: 99999999999999999999\r\n"), error: .badRequest("Content-Length overflows")),
        RequestVector("Int.max is a number, but over the limit", post("Content-Length: 9223372036854775807\r\n"),
                      [postHead([("Content-Length", "9223372036854775807")], .contentLength(Int.max))], error: .payloadTooLarge),
    ]

    static let transferEncoding: [RequestVector] = [
        RequestVector("chunked", post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n"),
                      [postHead([("Transfer-Encoding", "chunked")], .chunked), .body(bytes("hello")), .end]),
        RequestVector("chunked, any case", post("Transfer-Encoding: ChunKed\r\n", "0\r\n\r\n"),
                      [postHead([("Transfer-Encoding", "ChunKed")], .chunked), .end]),
        RequestVector("gzip then chunked -> 501", post("Transfer-Encoding: gzip, chunked\r\n"),
                      error: .notImplemented("transfer coding gzip")),
        RequestVector("unknown then chunked -> 501", post("Transfer-Encoding: foo\r\nTransfer-Encoding: chunked\r\n"),
                      error: .notImplemented("transfer coding foo")),
        RequestVector("final not chunked -> 400", post("Transfer-Encoding: gzip\r\n"),
                      error: .badRequest("final transfer coding is not chunked")),
        RequestVector("chunked then gzip -> 400", post("Transfer-Encoding: chunked, gzip\r\n"),
                      error: .badRequest("final transfer coding is not chunked")),
        RequestVector("unknown alone -> 400", post("Transfer-Encoding: foo\r\n"),
                      error: .badRequest("final transfer coding is not chunked")),
        RequestVector("chunked twice in a list", post("Transfer-Encoding: chunked, chunked\r\n"),
                      error: .badRequest("chunked applied more than once")),
        RequestVector("chunked twice in fields", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"),
                      error: .badRequest("chunked applied more than once")),
        RequestVector("empty Transfer-Encoding", post("Transfer-Encoding: \r\n"), error: .badRequest("empty Transfer-Encoding")),
        RequestVector("coding with parameters", post("Transfer-Encoding: chunked;q=1\r\n"),
                      error: .badRequest("invalid transfer coding")),
        RequestVector("TE with CL", post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"),
                      error: .badRequest("both Transfer-Encoding and Content-Length")),
        RequestVector("TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                      error: .badRequest("Transfer-Encoding in an HTTP/1.0 request")),
    ]

    @Test(arguments: contentLength) func contentLengthVector(_ v: RequestVector) { v.check() }
    @Test(arguments: transferEncoding) func transferEncodingVector(_ v: RequestVector) { v.check() }

    @Test func connectionPersistenceAndExpect() throws {
        func head(_ text: String) throws -> HTTPRequestHead {
            var p = HTTPRequestParser()
            p.append(contentsOf: bytes(text))
            guard case .head(let h) = try p.next() else { throw HTTPParseError.truncated }
            return h
        }
        #expect(try head("GET / HTTP/1.1\r\nHost: a\r\n\r\n").keepAlive)
        #expect(try !head("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").keepAlive)
        #expect(try !head("GET / HTTP/1.0\r\n\r\n").keepAlive)
        #expect(try head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive)
        #expect(try head("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n").expectsContinue)
        #expect(try !head("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n").expectsContinue)
        // RFC 9110 §10.1.1: a 1.0 client cannot expect 100-continue.
        #expect(try !head("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n").expectsContinue)
    }
}
