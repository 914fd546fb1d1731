import HTTP1
import Testing
@testable import HTTPServer
import TestSupport

/// RFC 9110 §9.3.2 / RFC 9112 §6.3: a response to HEAD has no content, whatever its
/// status, even when the server answers an error before the head was complete (the
/// parser's own refusals, limits, timeouts). Each case reads the raw bytes off the
/// socket until the server closes, so a body the client would not expect shows as
/// bytes after the head's blank line.
@Suite struct HTTPServerHeadErrorTests {
    /// Everything the server sends until it closes (every error here closes).
    static func rawAnswer(to request: String, configuration: HTTPServerConfiguration = TestServer.quickConfiguration(),
                          handler: TestHandler = .echo) async throws -> String {
        let server = try TestServer(configuration: configuration, handler: handler)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send(request)
        return try await offPool {
            var bytes: [UInt8] = []
            while true {
                let piece = try client.receive()
                if piece.isEmpty { break }
                bytes += piece
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    static func status(_ raw: String) -> Int? {
        let line = raw.prefix(while: { $0 != "\r" })
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }

    /// The bytes after the end of the head ("" when none).
    static func content(_ raw: String) -> String? {
        guard let end = raw.range(of: "\r\n\r\n") else { return nil }
        return String(raw[end.upperBound...])
    }

    static func limited(_ change: (inout HTTPServerConfiguration) -> Void) -> HTTPServerConfiguration {
        var configuration = TestServer.quickConfiguration()
        change(&configuration)
        return configuration
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var request: String
        var status: Int
        var configuration: @Sendable () -> HTTPServerConfiguration = { TestServer.quickConfiguration() }
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "bad header (obs-fold) -> 400",
             request: "HEAD /h HTTP/1.1\r\nHost: a\r\nX: 1\r\n folded\r\n\r\n", status: 400),
        Case(name: "invalid header name -> 400",
             request: "HEAD /h HTTP/1.1\r\nHost: a\r\nBad Name: 1\r\n\r\n", status: 400),
        Case(name: "missing Host -> 400",
             request: "HEAD /h HTTP/1.1\r\n\r\n", status: 400),
        Case(name: "two Content-Length values -> 400",
             request: "HEAD /h HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", status: 400),
        Case(name: "header section too large -> 431",
             request: "HEAD /h HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "b", count: 600) + "\r\n\r\n",
             status: 431, configuration: { limited { $0.parserLimits.maxHeaderBytes = 256 } }),
        Case(name: "request line too long -> 414",
             request: "HEAD /" + String(repeating: "a", count: 600) + " HTTP/1.1\r\nHost: a\r\n\r\n",
             status: 414, configuration: { limited { $0.parserLimits.maxStartLineBytes = 256 } }),
        Case(name: "unsupported version -> 505",
             request: "HEAD /h HTTP/1.7\r\nHost: a\r\n\r\n", status: 505),
        Case(name: "bad request target -> 400",
             request: "HEAD /h\u{7f} HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        Case(name: "body over the route's limit -> 413",
             request: "HEAD /h HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999\r\n\r\n", status: 413),
        Case(name: "head never completed -> 408",
             request: "HEAD /h HTTP/1.1\r\nHost: a\r\n", status: 408,
             configuration: { limited { $0.headerTimeout = 0.3 } }),
    ]

    @Test(arguments: cases)
    func errorAnswerToHeadHasNoContent(_ testCase: Case) async throws {
        var handler = TestHandler.echo
        handler.limit = 1000
        let raw = try await Self.rawAnswer(to: testCase.request, configuration: testCase.configuration(),
                                           handler: handler)
        #expect(Self.status(raw) == testCase.status, "\(raw.prefix(200))")
        #expect(Self.content(raw) == "", "a HEAD answer carried content: \(raw.debugDescription)")
    }

    /// The same errors to GET do carry their JSON body: the rule is about HEAD only.
    @Test func theSameErrorToGetCarriesItsJSONBody() async throws {
        let raw = try await Self.rawAnswer(to: "GET /h HTTP/1.1\r\nHost: a\r\nX: 1\r\n folded\r\n\r\n")
        #expect(Self.status(raw) == 400)
        #expect(Self.content(raw)?.hasPrefix("{") == true, "\(raw)")
    }

    /// A HEAD request line refused as a whole is still recognised as HEAD, while a
    /// request whose method cannot be read gets the body (it is not known to be HEAD).
    @Test func parserReportsThePendingMethod() throws {
        var parser = HTTPRequestParser()
        parser.append(contentsOf: Array("HEAD /x HTTP/1.1\r\nHost: a\r\nX: 1\r\n folded\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { while try parser.next() != nil {} }
        #expect(parser.pendingMethod == "HEAD")

        var tooLong = HTTPRequestParser(limits: { var l = HTTPParserLimits(); l.maxStartLineBytes = 32; return l }())
        tooLong.append(contentsOf: Array(("HEAD /" + String(repeating: "a", count: 64)).utf8))
        #expect(throws: HTTPParseError.self) { while try tooLong.next() != nil {} }
        #expect(tooLong.pendingMethod == "HEAD")

        var garbage = HTTPRequestParser()
        garbage.append(contentsOf: Array("\u{1}\u{2}\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { while try garbage.next() != nil {} }
        #expect(garbage.pendingMethod == nil)

        // After a complete message the next one starts unknown.
        var pipelined = HTTPRequestParser()
        pipelined.append(contentsOf: Array("HEAD /a HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        while try pipelined.next() != nil {}
        #expect(pipelined.pendingMethod == nil)
    }
}
