import Testing
@testable import HTTP1

@Suite struct SerializerTests {
    static func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

    @Test func responseHeadBytes() {
        let head = HTTPResponseHead(status: 201, headers: ["Content-Length": "2", "X-Id": "abc"])
        #expect(Self.text(HTTPSerializer.serialize(head)) == "HTTP/1.1 201 Created\r\nContent-Length: 2\r\nX-Id: abc\r\n\r\n")
        let custom = HTTPResponseHead(status: 299, reason: "", version: .http1_0)
        #expect(Self.text(HTTPSerializer.serialize(custom)) == "HTTP/1.0 299 \r\n\r\n")
    }

    @Test func requestHeadBytes() {
        let head = HTTPRequestHead(method: "POST", target: "/v1/x?y=1", headers: ["Host": "h", "Content-Length": "0"])
        #expect(Self.text(HTTPSerializer.serialize(head)) == "POST /v1/x?y=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func serializerCannotBeMadeToSplitAMessage() {
        // CR/LF/NUL in values and reasons become SP; non-token names are dropped; the
        // target is percent-encoded outside visible ASCII.
        let response = HTTPResponseHead(status: 200, reason: "OK\r\nX: y",
                                        headers: ["A": "1\r\nInjected: 1", "Bad Name": "v", "B": "x\u{0}y"])
        #expect(Self.text(HTTPSerializer.serialize(response)) == "HTTP/1.1 200 OK  X: y\r\nA: 1  Injected: 1\r\nB: x y\r\n\r\n")
        let request = HTTPRequestHead(method: "GET", target: "/a b\r\nc\u{E9}", headers: ["Host": "h"])
        #expect(Self.text(HTTPSerializer.serialize(request)) == "GET /a%20b%0D%0Ac%C3%A9 HTTP/1.1\r\nHost: h\r\n\r\n")
    }

    @Test func chunkFraming() {
        #expect(Self.text(HTTPSerializer.chunk(bytes("hello"))) == "5\r\nhello\r\n")
        #expect(Array(HTTPSerializer.chunk([UInt8](repeating: 1, count: 255)).prefix(4)) == bytes("ff\r\n"))
        #expect(Array(HTTPSerializer.chunk([UInt8](repeating: 1, count: 4096)).prefix(6)) == bytes("1000\r\n"))
        #expect(HTTPSerializer.chunk([UInt8]()).isEmpty)
        #expect(Self.text(HTTPSerializer.lastChunk) == "0\r\n\r\n")
    }

    @Test func requestRoundTripThroughTheParser() throws {
        let head = HTTPRequestHead(method: "PUT", target: "/img", headers: ["Host": "h", "Transfer-Encoding": "chunked", "X-A": "b"])
        let body = (0..<300).map { UInt8($0 % 251) }
        let wire = HTTPSerializer.serialize(head) + HTTPSerializer.chunk(body[0..<100]) + HTTPSerializer.chunk(body[100...])
            + HTTPSerializer.lastChunk
        var expectedHead = head
        expectedHead.framing = .chunked
        Feeder.expectAllSplits(HTTPRequestParser(), wire,
                               FeedOutcome(events: [.head(expectedHead), .body(body), .end], error: nil), "request round trip")
    }

    @Test func responseRoundTripThroughTheParser() throws {
        let head = HTTPResponseHead(status: 200, headers: ["Content-Length": "3", "Date": HTTPDate.format(unixSeconds: 0)])
        var expectedHead = head
        expectedHead.framing = .contentLength(3)
        Feeder.expectAllSplits(HTTPResponseParser(), HTTPSerializer.serialize(head) + bytes("abc"),
                               FeedOutcome(events: [.head(expectedHead), .body(bytes("abc")), .end], error: nil), "response round trip")
    }
}
