import Glibc
import Testing
@testable import HTTPServer
import Support

/// Small pure pieces: responder, error body, listen addresses, request ids.
@Suite struct HTTPServerUnitTests {
    @Test func closureResponderDeliversOnlyTheFirstResponse() {
        let received = Locked<[Int]>([])
        let responder = HTTPResponder { response in received.withLock { $0.append(response.status) } }
        responder.send(HTTPServerResponse(status: 201))
        responder.send(HTTPServerResponse(status: 500))
        #expect(received.withLock { $0 } == [201])
    }

    @Test func errorBodyIsEscapedJSON() {
        let response = HTTPServerResponse.error(422, code: "invalid_field", message: "bad \"size\"\n\u{1}")
        #expect(response.status == 422)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(response.body == .bytes(Array(#"{"error":{"code":"invalid_field","message":"bad \"size\"\n\u0001"}}"#.utf8)))
    }

    @Test func listenAddressesParse() throws {
        let v4 = try HTTPListenAddress(parsing: "127.0.0.1:8080")
        #expect(v4.host == "127.0.0.1" && v4.port == 8080)
        let v6 = try HTTPListenAddress(parsing: "[::1]:0")
        #expect(v6.host == "::1" && v6.port == 0)
        let any = try HTTPListenAddress(parsing: "*:80")
        #expect(any.host == nil && any.port == 80)
        for bad in ["8080", "::1:80", "[::1]80", "host:", "host:+1", "host:65536", ":80"] {
            #expect(throws: HTTPServerError.self) { try HTTPListenAddress(parsing: bad) }
        }
    }

    @Test func acceptErrorsRetryPauseOrStop() {
        #expect(HTTPListener.disposition(ofAcceptError: ECONNABORTED) == .retry)
        #expect(HTTPListener.disposition(ofAcceptError: EINTR) == .retry)
        #expect(HTTPListener.disposition(ofAcceptError: EAGAIN) == .drained)
        #expect(HTTPListener.disposition(ofAcceptError: EMFILE) == .pause)
        #expect(HTTPListener.disposition(ofAcceptError: ENFILE) == .pause)
        #expect(HTTPListener.disposition(ofAcceptError: EBADF) == .fail)
    }

    @Test func requestIDsAreSanitized() {
        #expect(HTTPRequestID.sanitized("abc-123_x.y:z") == "abc-123_x.y:z")
        #expect(HTTPRequestID.sanitized(String(repeating: "a", count: 64)) != nil)
        #expect(HTTPRequestID.sanitized(String(repeating: "a", count: 65)) == nil)
        #expect(HTTPRequestID.sanitized("a b") == nil)
        #expect(HTTPRequestID.sanitized("a\"b") == nil)
        #expect(HTTPRequestID.sanitized("") == nil)
        var generator = HTTPRequestID(seed: 0xABCDEF)
        let first = generator.next(), second = generator.next()
        #expect(first != second && first.hasPrefix("abcdef-"))
    }
}
