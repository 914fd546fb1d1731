import HTTP1

/// The lifecycle of one server connection as a pure state machine: the socket driver
/// feeds it events (bytes arrived, parser events, handler answers, writes drained,
/// time passed, peer closed, shutdown) and performs the actions it returns. Time is an
/// input (monotonic nanoseconds), so every deadline is testable without a clock.
///
/// Responses leave strictly in request order (RFC 9112 §9.3.2) whatever order handlers
/// answer in: each request gets a slot at its head, and only the front slot is written.
struct HTTPConnectionStateMachine {
    struct Timeouts: Equatable {
        var header: UInt64
        var body: UInt64
        var idle: UInt64
        var write: UInt64
        var linger: UInt64
        /// Longest time output may stay backed up in one stretch, however steadily the
        /// peer reads (`write` alone is reset by every bit of progress).
        var drain: UInt64

        init(header: UInt64, body: UInt64, idle: UInt64, write: UInt64, linger: UInt64,
             drain: UInt64 = UInt64.max / 2) {
            self.header = header
            self.body = body
            self.idle = idle
            self.write = write
            self.linger = linger
            self.drain = drain
        }

        init(_ configuration: HTTPServerConfiguration) {
            func ns(_ seconds: Double) -> UInt64 { UInt64(max(0, seconds) * 1_000_000_000) }
            self.init(header: ns(configuration.headerTimeout), body: ns(configuration.bodyTimeout),
                      idle: ns(configuration.idleTimeout), write: ns(configuration.writeTimeout),
                      linger: ns(configuration.lingerTimeout), drain: ns(configuration.drainTimeout))
        }
    }

    enum ReadPhase: Equatable {
        /// Between messages. `sawBytes` once a byte of the next head arrived.
        case awaitingHead(sawBytes: Bool)
        case readingBody
        /// No further request will be read (error, `Connection: close`, shutdown, EOF).
        case closed
    }

    enum CloseMode: Equatable {
        case immediately
        /// Half-close, then read and discard for a bounded time (RFC 9112 §9.6), so the
        /// peer reads our error response instead of a reset.
        case lingering
    }

    enum Action {
        case none
        case callHandler(HTTPServerRequest, sequence: Int)
        case close(CloseMode)
    }

    /// Something to put on the wire, in order.
    enum Write: Equatable {
        /// `HTTP/1.1 100 Continue` (RFC 9110 §10.1.1).
        case continue100
        case response(HTTPServerResponse, HTTPRequestInfo, keepAlive: Bool)
    }

    private struct Slot {
        var info: HTTPRequestInfo
        var response: HTTPServerResponse?
        var continuePending = false
    }

    let timeouts: Timeouts
    let maxPipelined: Int
    let remoteAddress: String
    let listenerName: String

    private(set) var readPhase: ReadPhase
    private(set) var isClosed = false
    private(set) var isLingering = false
    private(set) var isShuttingDown = false
    private var slots: [Slot] = []
    private var nextSequence = 0
    private var currentHead: HTTPRequestHead?
    private var currentBody: [UInt8] = []
    /// No request after the current ones will be read; close once they are written.
    private var closing = false
    private var closeMode = CloseMode.immediately
    private var outputBackedUp = false
    /// Whether any byte ever arrived: a connection that never spoke is closed silently
    /// at its deadline instead of being answered 408.
    private var everReceived = false

    private var headerDeadline: UInt64?
    private var bodyDeadline: UInt64?
    private var idleDeadline: UInt64?
    private var writeDeadline: UInt64?
    /// Absolute: set when output first backs up, cleared only once it has all drained,
    /// so a slow reader trickling a large body cannot hold the connection forever.
    private var drainDeadline: UInt64?
    private var lingerDeadline: UInt64?

    /// A fresh connection: the first header section must be complete within the header
    /// timeout counted from accept.
    init(now: UInt64, timeouts: Timeouts, maxPipelined: Int, remoteAddress: String = "",
         listenerName: String = "") {
        self.timeouts = timeouts
        self.maxPipelined = max(1, maxPipelined)
        self.remoteAddress = remoteAddress
        self.listenerName = listenerName
        readPhase = .awaitingHead(sawBytes: false)
        headerDeadline = now &+ timeouts.header
    }

    /// A connection over the limit: it is only told 503 and closed.
    init(rejecting status: Int, requestID: String, now: UInt64, timeouts: Timeouts,
         remoteAddress: String = "", listenerName: String = "") {
        self.init(now: now, timeouts: timeouts, maxPipelined: 1, remoteAddress: remoteAddress,
                  listenerName: listenerName)
        headerDeadline = nil
        queueServerError(HTTPServerResponse.serverError(status), requestID: requestID, now: now)
    }

    // MARK: queries

    /// Whether the driver should read and parse more request bytes now. False while the
    /// pipeline is full or output is backed up (back-pressure), and once reading is over.
    var wantsRequestData: Bool {
        guard !isClosed, !isLingering, !outputBackedUp else { return false }
        switch readPhase {
        case .readingBody: return true
        case .awaitingHead: return slots.count < maxPipelined
        case .closed: return false
        }
    }

    /// The earliest pending deadline, for the driver's timer.
    var nextDeadline: UInt64? {
        // Called for every connection on every sweep: no array, no allocation.
        func earlier(_ a: UInt64?, _ b: UInt64?) -> UInt64? {
            guard let a else { return b }
            guard let b else { return a }
            return min(a, b)
        }
        return earlier(earlier(earlier(headerDeadline, bodyDeadline), earlier(idleDeadline, writeDeadline)),
                       earlier(lingerDeadline, drainDeadline))
    }

    /// Requests whose responses are not yet handed to the driver.
    var pendingResponses: Int { slots.count }

    // MARK: events

    /// Bytes of a request arrived (or remain buffered): the header deadline of the next
    /// message starts with its first byte.
    mutating func bytesReceived(now: UInt64) {
        everReceived = true
        guard case .awaitingHead(sawBytes: false) = readPhase else { return }
        readPhase = .awaitingHead(sawBytes: true)
        idleDeadline = nil
        if headerDeadline == nil { headerDeadline = now &+ timeouts.header }
    }

    /// A complete head. `bodyLimit` is the route's limit; `requestID` the id to use.
    mutating func headReceived(_ head: HTTPRequestHead, bodyLimit: Int, requestID: String,
                               now: UInt64) -> Action {
        guard case .awaitingHead = readPhase, !isClosed else { return .none }
        headerDeadline = nil
        idleDeadline = nil
        let info = HTTPRequestInfo(sequence: nextSequence, method: head.method, target: head.target,
                                   version: head.version, keepAlive: head.keepAlive && !isShuttingDown,
                                   requestID: requestID, startedAt: now)
        nextSequence += 1
        var slot = Slot(info: info)
        // RFC 9110 §15.5.14: refuse a declared length over the limit before reading it
        // (and instead of 100 Continue); the connection then closes, since the unread
        // body would otherwise be taken for the next request.
        if case .contentLength(let length) = head.framing, length > bodyLimit {
            slot.response = HTTPServerResponse.serverError(413)
            slot.info.keepAlive = false
            slots.append(slot)
            stopReading(mode: .lingering)
            return .none
        }
        let hasBody: Bool = switch head.framing {
        case .contentLength(let length): length > 0
        case .chunked, .untilClose: true
        case .none: false
        }
        slot.continuePending = hasBody && head.expectsContinue
        slots.append(slot)
        currentHead = head
        currentBody = []
        readPhase = .readingBody
        bodyDeadline = now &+ timeouts.body
        return .none
    }

    mutating func bodyReceived(_ bytes: [UInt8]) {
        guard readPhase == .readingBody else { return }
        if currentBody.isEmpty { currentBody = bytes } else { currentBody.append(contentsOf: bytes) }
        // Body bytes arrived, so the client did not wait for 100 Continue; an interim
        // response is pointless now (RFC 9110 §10.1.1 lets the server omit it).
        if let last = slots.indices.last { slots[last].continuePending = false }
    }

    /// The request is complete: hand it to the handler.
    mutating func requestEnded(now: UInt64) -> Action {
        guard readPhase == .readingBody, let head = currentHead, let last = slots.indices.last else {
            return .none
        }
        bodyDeadline = nil
        slots[last].continuePending = false
        let info = slots[last].info
        let request = HTTPServerRequest(head: head, body: currentBody, remoteAddress: remoteAddress,
                                        requestID: info.requestID, listenerName: listenerName)
        currentHead = nil
        currentBody = []
        if info.keepAlive && !isShuttingDown {
            readPhase = .awaitingHead(sawBytes: false)
        } else {
            // RFC 9112 §9.6: nothing after a request with `Connection: close` is read.
            slots[last].info.keepAlive = false
            stopReading(mode: .immediately)
        }
        return .callHandler(request, sequence: info.sequence)
    }

    /// The parser rejected the input: answer the error's status, then close lingering.
    /// `pendingMethod` is the method of the request line, when it was read.
    mutating func parseFailed(_ error: HTTPParseError, requestID: String, pendingMethod: String? = nil,
                              now: UInt64) {
        guard !isClosed, !isLingering, readPhase != .closed else { return }
        failCurrent(with: HTTPServerResponse.parseError(error), requestID: requestID,
                    pendingMethod: pendingMethod, now: now)
    }

    /// A handler answered request `sequence`; later answers for it are ignored.
    mutating func handlerResponded(sequence: Int, response: HTTPServerResponse) {
        guard let index = slots.firstIndex(where: { $0.info.sequence == sequence }),
              slots[index].response == nil else { return }
        // A handler answering before the body is complete is not possible here: the
        // handler only sees complete requests.
        slots[index].response = response
    }

    /// The next thing to write, if the front slot is ready. Call until nil.
    mutating func nextWrite() -> Write? {
        guard !isClosed, !isLingering, var front = slots.first else { return nil }
        if front.continuePending {
            front.continuePending = false
            slots[0] = front
            return .continue100
        }
        guard let response = front.response else { return nil }
        slots.removeFirst()
        let wantsClose = response.headers.contains(name: "Connection")
            && response.headers.tokens("Connection").contains("close")
        let lastBeforeClose = closing && slots.isEmpty && readPhase == .closed
        let keepAlive = front.info.keepAlive && !wantsClose && !lastBeforeClose
            && !(isShuttingDown && slots.isEmpty && readPhase != .readingBody)
        if !keepAlive {
            // Requests read after this one are dropped unanswered; the client retries
            // them on a new connection (RFC 9112 §9.3.2).
            slots.removeAll()
            currentHead = nil
            currentBody = []
            if readPhase != .closed || !closing { stopReading(mode: closeMode) }
        }
        return .response(response, front.info, keepAlive: keepAlive)
    }

    /// Output could not be written completely. The write deadline runs from the last
    /// progress, so a slow but reading client may fetch a large body while one that
    /// stopped reading is dropped; the drain deadline runs from the first blocked write
    /// and bounds how long even a reading client may keep output backed up.
    mutating func writeBlocked(now: UInt64, progressed: Bool) {
        if drainDeadline == nil { drainDeadline = now &+ timeouts.drain }
        guard !outputBackedUp || progressed else { return }
        outputBackedUp = true
        writeDeadline = now &+ timeouts.write
    }

    /// Everything handed out so far is on the wire.
    mutating func writeCompleted(now: UInt64) -> Action {
        outputBackedUp = false
        writeDeadline = nil
        drainDeadline = nil
        guard !isClosed, !isLingering else { return .none }
        if closing && slots.isEmpty && readPhase == .closed {
            return beginClose(mode: closeMode, now: now)
        }
        if slots.isEmpty, case .awaitingHead(sawBytes: false) = readPhase {
            headerDeadline = nil
            idleDeadline = now &+ timeouts.idle
        }
        return .none
    }

    /// The peer closed its sending side (read returned 0).
    mutating func peerClosed(now: UInt64) -> Action {
        if isClosed { return .none }
        if isLingering { return finish() }
        switch readPhase {
        case .awaitingHead(sawBytes: false) where slots.isEmpty:
            return finish()
        case .awaitingHead(sawBytes: false), .closed:
            // Answer what was already asked, then close.
            closeMode = .immediately
            if readPhase != .closed { stopReading(mode: .immediately) }
            return slots.isEmpty && !outputBackedUp ? finish() : .none
        case .awaitingHead(sawBytes: true), .readingBody:
            // A truncated message cannot be answered.
            return finish()
        }
    }

    /// The driver's timer ticked at `now`.
    /// `pendingMethod`: the method of a request line read before its head was complete.
    mutating func timerFired(now: UInt64, requestID: String, pendingMethod: String? = nil) -> Action {
        if isClosed { return .none }
        if let deadline = lingerDeadline, now >= deadline { return finish() }
        if let deadline = writeDeadline, now >= deadline { return finish() }
        if let deadline = drainDeadline, now >= deadline { return finish() }
        if let deadline = idleDeadline, now >= deadline { return finish() }
        if let deadline = headerDeadline, now >= deadline {
            headerDeadline = nil
            if !everReceived && slots.isEmpty { return finish() }
            failCurrent(with: HTTPServerResponse.serverError(408), requestID: requestID,
                        pendingMethod: pendingMethod, now: now)
            return .none
        }
        if let deadline = bodyDeadline, now >= deadline {
            bodyDeadline = nil
            failCurrent(with: HTTPServerResponse.serverError(408), requestID: requestID, now: now)
        }
        return .none
    }

    /// Graceful shutdown: finish requests already received, read no new ones, close
    /// idle connections now.
    mutating func shutdownRequested(now: UInt64) -> Action {
        guard !isClosed, !isShuttingDown else { return .none }
        isShuttingDown = true
        if isLingering { return .none }
        switch readPhase {
        case .awaitingHead:
            if slots.isEmpty && !outputBackedUp { return finish() }
            stopReading(mode: .immediately)
        case .readingBody:
            break // the request in progress completes; `requestEnded` stops reading.
        case .closed:
            break
        }
        return .none
    }

    /// The driver closes the socket now (deadline passed, I/O error).
    mutating func forceClose() -> Action {
        isClosed ? .none : finish()
    }

    // MARK: helpers

    private mutating func stopReading(mode: CloseMode) {
        readPhase = .closed
        closing = true
        if mode == .lingering { closeMode = .lingering }
        headerDeadline = nil
        bodyDeadline = nil
        idleDeadline = nil
    }

    /// Answers the request being read (or a new slot) with an error and stops reading.
    private mutating func failCurrent(with response: HTTPServerResponse, requestID: String,
                                      pendingMethod: String? = nil, now: UInt64) {
        if readPhase == .readingBody, let last = slots.indices.last, slots[last].response == nil {
            slots[last].response = response
            slots[last].info.keepAlive = false
            slots[last].continuePending = false
            currentHead = nil
            currentBody = []
        } else {
            queueServerError(response, requestID: requestID, method: pendingMethod, now: now)
        }
        stopReading(mode: .lingering)
    }

    private mutating func queueServerError(_ response: HTTPServerResponse, requestID: String,
                                           method: String? = nil, now: UInt64) {
        slots.append(Slot(info: .unparsed(sequence: nextSequence, requestID: requestID, method: method, now: now),
                          response: response))
        nextSequence += 1
        stopReading(mode: .lingering)
    }

    private mutating func beginClose(mode: CloseMode, now: UInt64) -> Action {
        if mode == .lingering {
            isLingering = true
            lingerDeadline = now &+ timeouts.linger
            return .close(.lingering)
        }
        return finish()
    }

    private mutating func finish() -> Action {
        isClosed = true
        isLingering = false
        slots.removeAll()
        headerDeadline = nil
        bodyDeadline = nil
        idleDeadline = nil
        writeDeadline = nil
        lingerDeadline = nil
        return .close(.immediately)
    }
}
