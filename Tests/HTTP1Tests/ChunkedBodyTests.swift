import Testing
@testable import HTTP1

/// RFC 9112 §7.1: chunked transfer coding on requests.
@Suite struct ChunkedBodyTests {
    static let prefix = "POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
    static let head = requestHead("POST", "/u", .http1_1, [("Host", "a"), ("Transfer-Encoding", "chunked")], .chunked)

    static func chunked(_ name: String, _ body: String, limits: HTTPParserLimits = HTTPParserLimits(), bodyLimit: Int? = nil,
                        _ events: [HTTPRequestEvent], error: HTTPParseError? = nil) -> RequestVector {
        RequestVector(name, prefix + body, limits: limits, bodyLimit: bodyLimit, [head] + events, error: error)
    }

    static let vectors: [RequestVector] = [
        chunked("several chunks, hex in both cases", "3\r\nabc\r\nA\r\n0123456789\r\na\r\nABCDEFGHIJ\r\n0\r\n\r\n",
                [.body(bytes("abc0123456789ABCDEFGHIJ")), .end]),
        chunked("leading zeros in size", "0003\r\nabc\r\n000\r\n\r\n", [.body(bytes("abc")), .end]),
        chunked("extensions", "3;name=value;flag\r\nabc\r\n2 ; q=\"a b\"\r\nde\r\n0;last\r\n\r\n", [.body(bytes("abcde")), .end]),
        chunked("trailers accepted and discarded", "3\r\nabc\r\n0\r\nX-Sum: 1\r\nX-Other: 2\r\n\r\n", [.body(bytes("abc")), .end]),
        chunked("CRLF inside data is data", "4\r\n\r\n\r\n\r\n0\r\n\r\n", [.body(bytes("\r\n\r\n")), .end]),
        chunked("missing size", "\r\nabc\r\n0\r\n\r\n", [], error: .badRequest("missing chunk size")),
        chunked("non-hex size", "g\r\nabc\r\n0\r\n\r\n", [], error: .badRequest("missing chunk size")),
        chunked("signed size", "+3\r\nabc\r\n0\r\n\r\n", [], error: .badRequest("missing chunk size")),
        chunked("0x prefix", "0x3\r\nabc\r\n0\r\n\r\n", [], error: .badRequest("invalid character after chunk size")),
        chunked("space then no extension", "3 \r\nabc\r\n0\r\n\r\n", [], error: .badRequest("invalid character after chunk size")),
        chunked("17 hex digits", "00000000000000003\r\nabc\r\n0\r\n\r\n", [], error: .badRequest("chunk size too long")),
        chunked("16 hex digits is fine", "0000000000000003\r\nabc\r\n0\r\n\r\n", [.body(bytes("abc")), .end]),
        chunked("size overflows Int", "FFFFFFFFFFFFFFFF\r\n", [], error: .badRequest("chunk size overflows")),
        chunked("Int.max size is over the body limit", "7FFFFFFFFFFFFFFF\r\n", [], error: .payloadTooLarge),
        chunked("control in extension", "3;a\u{1}\r\nabc\r\n0\r\n\r\n", [], error: .badRequest("invalid character in chunk extension")),
        chunked("data longer than size", "3\r\nabcd\r\n0\r\n\r\n", [.body(bytes("abc"))], error: .badRequest("chunk data not followed by CRLF")),
        chunked("LF only after data", "3\r\nabc\n0\r\n\r\n", [.body(bytes("abc"))], error: .badRequest("chunk data not followed by CRLF")),
        chunked("CR only after data", "3\r\nabc\rX0\r\n\r\n", [.body(bytes("abc"))], error: .badRequest("chunk data not followed by CRLF")),
        chunked("bare LF after size", "3\nabc\r\n0\r\n\r\n", [], error: .badRequest("line ended by LF without CR")),
        chunked("obs-fold in trailer", "0\r\nX-A: 1\r\n 2\r\n\r\n", [], error: .badRequest("obsolete line folding")),
        chunked("bad trailer field", "0\r\nX A: 1\r\n\r\n", [], error: .badRequest("whitespace before field colon")),
        chunked("extension exactly at its limit", "3;abcdefg\r\nabc\r\n0\r\n\r\n",
                limits: limits { $0.maxChunkExtensionBytes = 8 }, [.body(bytes("abc")), .end]),
        chunked("extension one over its limit", "3;abcdefgh\r\nabc\r\n0\r\n\r\n",
                limits: limits { $0.maxChunkExtensionBytes = 8 }, [], error: .badRequest("chunk extensions too long")),
        chunked("endless extension fails without its CRLF", "3;" + String(repeating: "a", count: 100),
                limits: limits { $0.maxChunkExtensionBytes = 8 }, [], error: .badRequest("chunk extensions too long")),
        // "X-A: 12\r\n" is 9 bytes.
        chunked("trailers exactly at their limit", "0\r\nX-A: 12\r\n\r\n", limits: limits { $0.maxTrailerBytes = 9 }, [.end]),
        chunked("trailers one over their limit", "0\r\nX-A: 12\r\n\r\n", limits: limits { $0.maxTrailerBytes = 8 }, [],
                error: .headerFieldsTooLarge),
        chunked("total exactly at the body limit", "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", bodyLimit: 5, [.body(bytes("abcde")), .end]),
        chunked("total one over the body limit", "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n", bodyLimit: 5, [.body(bytes("abc"))],
                error: .payloadTooLarge),
        chunked("total over limits.maxBodyBytes", "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n", limits: limits { $0.maxBodyBytes = 4 },
                [.body(bytes("abc"))], error: .payloadTooLarge),
    ]

    @Test(arguments: vectors) func chunked(_ v: RequestVector) { v.check() }
}
