import Testing
@testable import HTTP1

/// RFC 9112 §5, RFC 9110 §5.5: field lines.
@Suite struct FieldLineTests {
    static func get(_ fields: String) -> String { "GET / HTTP/1.1\r\n" + fields + "\r\n" }

    static let vectors: [RequestVector] = [
        RequestVector("OWS trimmed, inner SP kept", get("Host: a\r\nX-A: \t b  c \t\r\n"),
                      [requestHead("GET", "/", .http1_1, [("Host", "a"), ("X-A", "b  c")]), .end]),
        RequestVector("no space after colon", get("Host:a\r\n"), [requestHead(), .end]),
        RequestVector("empty value", get("Host: a\r\nX-E:\r\nX-F:   \r\n"),
                      [requestHead("GET", "/", .http1_1, [("Host", "a"), ("X-E", ""), ("X-F", "")]), .end]),
        RequestVector("name case kept, order and duplicates kept", get("host: a\r\nX-D: 1\r\nx-d: 2\r\n"),
                      [requestHead("GET", "/", .http1_1, [("host", "a"), ("X-D", "1"), ("x-d", "2")]), .end]),
        RequestVector("obs-text (UTF-8) in value", bytes("GET / HTTP/1.1\r\nHost: a\r\nX-U: caf") + [0xC3, 0xA9] + bytes("\r\n\r\n"),
                      [requestHead("GET", "/", .http1_1, [("Host", "a"), ("X-U", "caf\u{E9}")]), .end]),
        RequestVector("colon inside value", get("Host: a:80\r\n"), [requestHead("GET", "/", .http1_1, [("Host", "a:80")]), .end]),
        RequestVector("SP before colon", get("Host : a\r\n"), error: .badRequest("whitespace before field colon")),
        RequestVector("HTAB before colon", get("Host\t: a\r\n"), error: .badRequest("whitespace before field colon")),
        RequestVector("obs-fold continuation", get("Host: a\r\nX-A: b\r\n c\r\n"), error: .badRequest("obsolete line folding")),
        RequestVector("HTAB obs-fold", get("Host: a\r\nX-A: b\r\n\tc\r\n"), error: .badRequest("obsolete line folding")),
        RequestVector("whitespace line right after request line", get(" Host: a\r\n"), error: .badRequest("obsolete line folding")),
        RequestVector("no colon", get("Host: a\r\nX-Ab\r\n"), error: .badRequest("field line without colon")),
        RequestVector("empty name", get("Host: a\r\n: b\r\n"), error: .badRequest("empty field name")),
        RequestVector("non-token name", get("Host: a\r\nX(A): b\r\n"), error: .badRequest("invalid character in field name")),
        RequestVector("NUL in value", get("Host: a\r\nX-A: b\u{0}c\r\n"), error: .badRequest("invalid character in field value")),
        RequestVector("control in value", get("Host: a\r\nX-A: b\u{1B}c\r\n"), error: .badRequest("invalid character in field value")),
        RequestVector("DEL in value", get("Host: a\r\nX-A: b\u{7F}\r\n"), error: .badRequest("invalid character in field value")),
        RequestVector("bare CR in value", get("Host: a\r\nX-A: b\rc\r\n"), error: .badRequest("CR not followed by LF")),
        RequestVector("bare CR before CRLF", get("Host: a\r\nX-A: b\r\r\n"), error: .badRequest("CR not followed by LF")),
        RequestVector("bare LF ends a field", get("Host: a\nX-A: b\r\n"), error: .badRequest("line ended by LF without CR")),
        RequestVector("bare LF ends the section", "GET / HTTP/1.1\r\nHost: a\r\n\n",
                      error: .badRequest("line ended by LF without CR")),
        RequestVector("missing Host in 1.1", get("X-A: b\r\n"), error: .badRequest("missing Host field")),
        RequestVector("two Host in 1.1", get("Host: a\r\nhost: a\r\n"), error: .badRequest("more than one Host field")),
        RequestVector("Host with port and IPv6 literal", get("Host: [::1]:8080\r\n"),
                      [requestHead("GET", "/", .http1_1, [("Host", "[::1]:8080")]), .end]),
        RequestVector("empty Host is allowed", get("Host:\r\n"), [requestHead("GET", "/", .http1_1, [("Host", "")]), .end]),
        RequestVector("Host with a path", get("Host: a/b\r\n"), error: .badRequest("invalid Host field")),
        RequestVector("Host with userinfo", get("Host: u@a\r\n"), error: .badRequest("invalid Host field")),
        RequestVector("Host with a space", get("Host: a b\r\n"), error: .badRequest("invalid Host field")),
        RequestVector("two Host in 1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", error: .badRequest("more than one Host field")),
    ]

    @Test(arguments: vectors) func fieldLine(_ v: RequestVector) { v.check() }
}
