import HTTP1
import Testing
@testable import HTTPServer

/// The connection lifecycle without sockets or clocks: time is a plain number.
@Suite struct HTTPConnectionStateMachineTests {
    typealias Machine = HTTPConnectionStateMachine
    static let timeouts = Machine.Timeouts(header: 100, body: 200, idle: 300, write: 400, linger: 50)

    static func machine(pipeline: Int = 4) -> Machine {
        Machine(now: 0, timeouts: timeouts, maxPipelined: pipeline, remoteAddress: "127.0.0.1:1", listenerName: "t")
    }

    static func head(_ target: String = "/", method: String = "GET", version: HTTPVersion = .http1_1,
                     headers: HTTPHeaders = ["Host": "a"], framing: HTTPBodyFraming = .none) -> HTTPRequestHead {
        HTTPRequestHead(method: method, target: target, version: version, headers: headers, framing: framing)
    }

    /// Feeds a complete body-less request and returns the handler call's sequence.
    static func request(_ machine: inout Machine, _ head: HTTPRequestHead, now: UInt64 = 1) -> Int? {
        machine.bytesReceived(now: now)
        _ = machine.headReceived(head, bodyLimit: 1000, requestID: "r", now: now)
        guard case .callHandler(_, let sequence) = machine.requestEnded(now: now) else { return nil }
        return sequence
    }

    static func response(_ write: Machine.Write?) -> (status: Int, path: String, keepAlive: Bool)? {
        guard case .response(let response, let info, let keepAlive) = write else { return nil }
        return (response.status, info.target, keepAlive)
    }

    static func isClose(_ action: Machine.Action, _ mode: Machine.CloseMode) -> Bool {
        if case .close(let actual) = action { return actual == mode }
        return false
    }

    @Test func requestResponseThenIdleTimeoutCloses() throws {
        var machine = Self.machine()
        let sequence = try #require(Self.request(&machine, Self.head("/a")))
        #expect(machine.nextWrite() == nil) // the handler has not answered
        machine.handlerResponded(sequence: sequence, response: HTTPServerResponse(status: 200))
        let written = try #require(Self.response(machine.nextWrite()))
        #expect(written.status == 200 && written.path == "/a" && written.keepAlive)
        #expect(Self.isClose(machine.writeCompleted(now: 10), .immediately) == false)
        #expect(machine.nextDeadline == 310)
        #expect(Self.isClose(machine.timerFired(now: 309, requestID: "t"), .immediately) == false)
        #expect(Self.isClose(machine.timerFired(now: 310, requestID: "t"), .immediately))
        #expect(machine.isClosed)
    }

    @Test func headerDeadlineCountsFromAcceptAndAnswers408() throws {
        var machine = Self.machine()
        #expect(machine.nextDeadline == 100)
        machine.bytesReceived(now: 90) // a trickle does not move the deadline
        #expect(machine.nextDeadline == 100)
        _ = machine.timerFired(now: 100, requestID: "t")
        let written = try #require(Self.response(machine.nextWrite()))
        #expect(written.status == 408 && !written.keepAlive)
        #expect(!machine.wantsRequestData)
        #expect(Self.isClose(machine.writeCompleted(now: 101), .lingering))
        #expect(machine.nextDeadline == 151)
        #expect(Self.isClose(machine.timerFired(now: 151, requestID: "t"), .immediately))
    }

    @Test func laterHeadersCountFromTheirFirstByte() throws {
        var machine = Self.machine()
        let sequence = try #require(Self.request(&machine, Self.head()))
        machine.handlerResponded(sequence: sequence, response: HTTPServerResponse(status: 204))
        _ = machine.nextWrite()
        _ = machine.writeCompleted(now: 5)
        #expect(machine.nextDeadline == 305) // idle
        machine.bytesReceived(now: 250)
        #expect(machine.nextDeadline == 350) // header deadline from the first byte
    }

    @Test func silentConnectionClosesWithoutAResponse() {
        var machine = Self.machine()
        #expect(Self.isClose(machine.timerFired(now: 100, requestID: "t"), .immediately))
        #expect(machine.nextWrite() == nil)
    }

    @Test func pipelinedResponsesLeaveInRequestOrder() throws {
        var machine = Self.machine()
        let first = try #require(Self.request(&machine, Self.head("/1")))
        let second = try #require(Self.request(&machine, Self.head("/2")))
        machine.handlerResponded(sequence: second, response: HTTPServerResponse(status: 202))
        #expect(machine.nextWrite() == nil)
        machine.handlerResponded(sequence: first, response: HTTPServerResponse(status: 201))
        machine.handlerResponded(sequence: first, response: HTTPServerResponse(status: 500)) // ignored
        #expect(Self.response(machine.nextWrite())?.status == 201)
        #expect(Self.response(machine.nextWrite())?.status == 202)
        #expect(machine.nextWrite() == nil)
    }

    @Test func pipelineDepthPausesReading() throws {
        var machine = Self.machine(pipeline: 2)
        let first = try #require(Self.request(&machine, Self.head()))
        _ = try #require(Self.request(&machine, Self.head()))
        #expect(!machine.wantsRequestData)
        machine.handlerResponded(sequence: first, response: HTTPServerResponse(status: 200))
        _ = machine.nextWrite()
        #expect(machine.wantsRequestData)
    }

    @Test func expectContinueIsAnsweredOnlyWhenTheLengthFits() throws {
        var machine = Self.machine()
        let expecting: HTTPHeaders = ["Host": "a", "Expect": "100-continue"]
        _ = machine.headReceived(Self.head(method: "PUT", headers: expecting, framing: .contentLength(10)),
                                 bodyLimit: 10, requestID: "r", now: 1)
        #expect(machine.nextWrite() == .continue100)
        #expect(machine.nextWrite() == nil)
        machine.bodyReceived(Array("0123456789".utf8))
        guard case .callHandler(let request, _) = machine.requestEnded(now: 2) else {
            Issue.record("no handler call")
            return
        }
        #expect(request.body.count == 10)

        var tooLarge = Self.machine()
        _ = tooLarge.headReceived(Self.head(method: "PUT", headers: expecting, framing: .contentLength(11)),
                                  bodyLimit: 10, requestID: "r", now: 1)
        let written = try #require(Self.response(tooLarge.nextWrite()))
        #expect(written.status == 413 && !written.keepAlive)
        #expect(!tooLarge.wantsRequestData)
        #expect(Self.isClose(tooLarge.writeCompleted(now: 2), .lingering))
    }

    @Test func parseErrorIsAnsweredThenTheConnectionLingers() throws {
        var machine = Self.machine()
        machine.bytesReceived(now: 1)
        machine.parseFailed(.badRequest("obs-fold"), requestID: "e", now: 1)
        guard case .response(let response, let info, let keepAlive) = machine.nextWrite() else {
            Issue.record("no error response")
            return
        }
        #expect(response.status == 400 && !keepAlive && info.requestID == "e")
        #expect(String(decoding: response.body == .empty ? [] : { if case .bytes(let b) = response.body { b } else { [] } }(), as: UTF8.self)
            .hasPrefix(#"{"error":{"code":"bad_request""#))
        #expect(Self.isClose(machine.writeCompleted(now: 2), .lingering))
        #expect(Self.isClose(machine.peerClosed(now: 3), .immediately))
    }

    @Test func bodyTimeoutAnswers408() throws {
        var machine = Self.machine()
        _ = machine.headReceived(Self.head(method: "POST", framing: .contentLength(5)), bodyLimit: 10,
                                 requestID: "r", now: 10)
        #expect(machine.nextDeadline == 210)
        _ = machine.timerFired(now: 210, requestID: "t")
        #expect(Self.response(machine.nextWrite())?.status == 408)
    }

    @Test func connectionCloseStopsReadingAndClosesAfterTheResponse() throws {
        var machine = Self.machine()
        let sequence = try #require(Self.request(&machine, Self.head(headers: ["Host": "a", "Connection": "close"])))
        #expect(!machine.wantsRequestData)
        machine.handlerResponded(sequence: sequence, response: HTTPServerResponse(status: 200))
        #expect(Self.response(machine.nextWrite())?.keepAlive == false)
        #expect(Self.isClose(machine.writeCompleted(now: 2), .immediately))
    }

    @Test func http10PersistsOnlyOnRequest() throws {
        var plain = Self.machine()
        let first = try #require(Self.request(&plain, Self.head(version: .http1_0, headers: [:])))
        plain.handlerResponded(sequence: first, response: HTTPServerResponse(status: 200))
        #expect(Self.response(plain.nextWrite())?.keepAlive == false)

        var asked = Self.machine()
        let second = try #require(Self.request(&asked, Self.head(version: .http1_0, headers: ["Connection": "keep-alive"])))
        asked.handlerResponded(sequence: second, response: HTTPServerResponse(status: 200))
        #expect(Self.response(asked.nextWrite())?.keepAlive == true)
    }

    @Test func shutdownClosesIdleAndFinishesInFlight() throws {
        var idle = Self.machine()
        #expect(Self.isClose(idle.shutdownRequested(now: 1), .immediately))

        var busy = Self.machine()
        let sequence = try #require(Self.request(&busy, Self.head()))
        #expect(Self.isClose(busy.shutdownRequested(now: 2), .immediately) == false)
        #expect(!busy.wantsRequestData)
        busy.handlerResponded(sequence: sequence, response: HTTPServerResponse(status: 200))
        #expect(Self.response(busy.nextWrite())?.keepAlive == false)
        #expect(Self.isClose(busy.writeCompleted(now: 3), .immediately))
    }

    @Test func writeProgressMovesTheWriteDeadline() throws {
        var machine = Self.machine()
        let sequence = try #require(Self.request(&machine, Self.head()))
        machine.handlerResponded(sequence: sequence, response: HTTPServerResponse(status: 200))
        _ = machine.nextWrite()
        machine.writeBlocked(now: 10, progressed: false)
        machine.writeBlocked(now: 300, progressed: true)
        #expect(machine.nextDeadline == 700)
        #expect(Self.isClose(machine.timerFired(now: 410, requestID: "t"), .immediately) == false)
        #expect(Self.isClose(machine.writeCompleted(now: 500), .immediately) == false)
        #expect(machine.wantsRequestData)
    }

    /// A slow reader makes progress often enough to keep moving the write deadline; the
    /// drain deadline, counted from the first blocked write, still cuts it. Once output
    /// has drained, the next backlog gets a fresh drain deadline.
    @Test func drainDeadlineCutsAPeerThatKeepsReadingSlowly() throws {
        var timeouts = Self.timeouts
        timeouts.drain = 1000
        var machine = Machine(now: 0, timeouts: timeouts, maxPipelined: 4, remoteAddress: "127.0.0.1:1", listenerName: "t")
        let first = try #require(Self.request(&machine, Self.head("/a")))
        machine.handlerResponded(sequence: first, response: HTTPServerResponse(status: 200))
        _ = machine.nextWrite()
        machine.writeBlocked(now: 10, progressed: true)
        #expect(Self.isClose(machine.writeCompleted(now: 20), .immediately) == false)

        // The next response backs up at 500: its drain deadline is 1500, not 1010.
        let second = try #require(Self.request(&machine, Self.head("/b"), now: 30))
        machine.handlerResponded(sequence: second, response: HTTPServerResponse(status: 200))
        _ = machine.nextWrite()
        machine.writeBlocked(now: 500, progressed: true)
        for now in [UInt64(800), 1100, 1400] {
            machine.writeBlocked(now: now, progressed: true) // steady progress: write deadline now + 400
            #expect(Self.isClose(machine.timerFired(now: now + 1, requestID: "t"), .immediately) == false)
        }
        #expect(machine.nextDeadline == 1500)
        #expect(Self.isClose(machine.timerFired(now: 1499, requestID: "t"), .immediately) == false)
        #expect(Self.isClose(machine.timerFired(now: 1500, requestID: "t"), .immediately))
    }

    @Test func shutdownDuringABodyLetsThatRequestFinish() throws {
        var machine = Self.machine()
        _ = machine.headReceived(Self.head(method: "POST", framing: .contentLength(3)), bodyLimit: 10,
                                 requestID: "r", now: 1)
        #expect(Self.isClose(machine.shutdownRequested(now: 2), .immediately) == false)
        #expect(machine.wantsRequestData) // the body still has to arrive
        machine.bodyReceived(Array("abc".utf8))
        guard case .callHandler(let request, let sequence) = machine.requestEnded(now: 3) else {
            Issue.record("no handler call")
            return
        }
        #expect(request.body == Array("abc".utf8))
        #expect(!machine.wantsRequestData)
        machine.handlerResponded(sequence: sequence, response: HTTPServerResponse(status: 201))
        #expect(Self.response(machine.nextWrite())?.keepAlive == false)
        #expect(Self.isClose(machine.writeCompleted(now: 4), .immediately))
    }

    @Test func handlerAskingForCloseEndsTheConnection() throws {
        var machine = Self.machine()
        let sequence = try #require(Self.request(&machine, Self.head()))
        machine.handlerResponded(sequence: sequence,
                                 response: HTTPServerResponse(status: 200, headers: ["Connection": "close"]))
        #expect(Self.response(machine.nextWrite())?.keepAlive == false)
        #expect(!machine.wantsRequestData)
        #expect(Self.isClose(machine.writeCompleted(now: 2), .immediately))
    }

    @Test func backedUpOutputPausesReadingUntilTheWriteDeadline() throws {
        var machine = Self.machine()
        let sequence = try #require(Self.request(&machine, Self.head()))
        machine.handlerResponded(sequence: sequence, response: HTTPServerResponse(status: 200))
        _ = machine.nextWrite()
        machine.writeBlocked(now: 10, progressed: true)
        #expect(!machine.wantsRequestData)
        #expect(machine.nextDeadline == 410)
        machine.writeBlocked(now: 20, progressed: false) // no progress: the deadline stays
        #expect(machine.nextDeadline == 410)
        #expect(Self.isClose(machine.timerFired(now: 410, requestID: "t"), .immediately))
    }

    @Test func peerHalfCloseStillGetsThePendingResponse() throws {
        var machine = Self.machine()
        let sequence = try #require(Self.request(&machine, Self.head()))
        #expect(Self.isClose(machine.peerClosed(now: 2), .immediately) == false)
        machine.handlerResponded(sequence: sequence, response: HTTPServerResponse(status: 200))
        #expect(Self.response(machine.nextWrite())?.keepAlive == false)
        #expect(Self.isClose(machine.writeCompleted(now: 3), .immediately))
    }

    @Test func truncatedRequestClosesAtOnce() {
        var machine = Self.machine()
        machine.bytesReceived(now: 1)
        #expect(Self.isClose(machine.peerClosed(now: 2), .immediately))
    }

    @Test func rejectedConnectionIsTold503() throws {
        var machine = Machine(rejecting: 503, requestID: "x", now: 0, timeouts: Self.timeouts)
        let written = try #require(Self.response(machine.nextWrite()))
        #expect(written.status == 503 && !written.keepAlive)
        #expect(!machine.wantsRequestData)
        #expect(Self.isClose(machine.writeCompleted(now: 1), .lingering))
    }
}
