import Dispatch
import Glibc
import HTTP1
import Logging

/// The socket driver of one connection: it turns readiness into events for
/// `HTTPConnectionStateMachine` and carries out its actions. All state is confined to
/// the loop's serial queue. The socket is non-blocking; a read source is always
/// present (suspended while the machine wants no input); a write source is created the
/// first time output backs up and runs only while it is. The descriptor is closed only
/// in the cancel handler of the last source, so no source can ever watch a reused
/// descriptor.
final class HTTPConnection: @unchecked Sendable {
    private let fd: Int32
    private let loop: HTTPEventLoop
    private let context: HTTPServerContext
    private var machine: HTTPConnectionStateMachine
    private var parser: HTTPRequestParser
    private var output = HTTPOutputBuffer()
    private var readSource: DispatchSourceRead?
    private var writeSource: DispatchSourceWrite?
    private var readSuspended = false
    private var writeSuspended = false
    private var pendingCancels = 0
    private var closed = false
    private var driving = false
    private var lingerBytes = 0

    /// Adopts an accepted socket; call on `loop.queue`.
    init(fd: Int32, remoteAddress: String, loop: HTTPEventLoop, context: HTTPServerContext,
         rejectWith status: Int?) {
        self.fd = fd
        self.loop = loop
        self.context = context
        let now = HTTPSocket.monotonicNanoseconds()
        let configuration = context.configuration
        let timeouts = HTTPConnectionStateMachine.Timeouts(configuration)
        if let status {
            machine = HTTPConnectionStateMachine(rejecting: status, requestID: loop.requestIDs.next(), now: now,
                                                 timeouts: timeouts, remoteAddress: remoteAddress,
                                                 listenerName: context.name)
        } else {
            machine = HTTPConnectionStateMachine(now: now, timeouts: timeouts,
                                                 maxPipelined: configuration.maxPipelinedRequests,
                                                 remoteAddress: remoteAddress, listenerName: context.name)
        }
        parser = HTTPRequestParser(limits: configuration.parserLimits)
    }

    /// Starts watching the socket; call on `loop.queue` right after `init`.
    func start() {
        loop.add(self)
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: loop.queue)
        source.setEventHandler { [unowned self] in self.readable() }
        source.setCancelHandler { [self] in self.sourceCancelled() }
        readSource = source
        pendingCancels += 1
        source.resume()
        if context.isShuttingDown {
            perform(machine.shutdownRequested(now: HTTPSocket.monotonicNanoseconds()))
        } else if machine.wantsRequestData {
            // Clients usually send the request right behind the handshake, so it is
            // often here already: reading now saves a round through the event loop.
            readable()
        }
        drive()
    }

    var nextDeadline: UInt64? { closed ? nil : machine.nextDeadline }

    // MARK: events from the loop and the server

    func timerFired(now: UInt64) {
        guard !closed else { return }
        perform(machine.timerFired(now: now, requestID: loop.requestIDs.next(),
                                   pendingMethod: parser.pendingMethod))
        drive()
    }

    func shutdown() {
        guard !closed else { return }
        perform(machine.shutdownRequested(now: HTTPSocket.monotonicNanoseconds()))
        drive()
    }

    func forceClose() {
        guard !closed else { return }
        perform(machine.forceClose())
    }

    /// A handler's answer, from any thread.
    func deliver(_ response: HTTPServerResponse, sequence: Int) {
        if loop.isCurrent {
            receive(response, sequence: sequence)
        } else {
            loop.queue.async { self.receive(response, sequence: sequence) }
        }
    }

    private func receive(_ response: HTTPServerResponse, sequence: Int) {
        guard !closed else { return }
        machine.handlerResponded(sequence: sequence, response: response)
        // Inside `drive` (the handler answered synchronously) the loop there picks it up
        // and coalesces it with the other pipelined responses.
        if !driving { drive() }
    }

    // MARK: reading

    private func readable() {
        guard !closed else { return }
        let buffer = loop.readBuffer
        var n: Int
        repeat {
            n = recv(fd, buffer.baseAddress, buffer.count, 0)
        } while n < 0 && errno == EINTR
        if n > 0 {
            if machine.isLingering {
                // Lingering close: discard, bounded in bytes as well as in time.
                lingerBytes += n
                if lingerBytes > context.configuration.lingerMaxBytes { perform(machine.forceClose()) }
                return
            }
            parser.append(UnsafeRawBufferPointer(start: buffer.baseAddress, count: n))
            machine.bytesReceived(now: HTTPSocket.monotonicNanoseconds())
            drive()
        } else if n == 0 {
            perform(machine.peerClosed(now: HTTPSocket.monotonicNanoseconds()))
            drive()
        } else if errno != EAGAIN && errno != EWOULDBLOCK {
            perform(machine.forceClose())
        }
    }

    /// Parses what is buffered as far as the machine wants, runs handlers, encodes the
    /// responses that are ready (in order), writes them in one go, and sets read
    /// interest. Re-entrant calls (a handler answering synchronously) return at once.
    private func drive() {
        guard !driving, !closed else { return }
        driving = true
        var now = HTTPSocket.monotonicNanoseconds()
        var progressed = true
        while progressed && !closed {
            progressed = false
            while !closed && machine.wantsRequestData {
                let event: HTTPRequestEvent?
                do {
                    event = try parser.next()
                } catch {
                    machine.parseFailed(error, requestID: loop.requestIDs.next(),
                                        pendingMethod: parser.pendingMethod, now: now)
                    break
                }
                guard let event else {
                    if parser.hasBufferedBytes { machine.bytesReceived(now: now) }
                    break
                }
                progressed = true
                handle(event, now: now)
            }
            if encodeReadyWrites(now: now) { progressed = true }
            now = HTTPSocket.monotonicNanoseconds()
        }
        driving = false
        flush()
        updateReadInterest()
    }

    private func handle(_ event: HTTPRequestEvent, now: UInt64) {
        switch event {
        case .head(let head):
            let limit = max(0, context.handler.bodyLimit(for: head))
            parser.setBodyLimit(limit)
            let requestID = HTTPRequestID.sanitized(head.headers["X-Request-Id"]) ?? loop.requestIDs.next()
            perform(machine.headReceived(head, bodyLimit: limit, requestID: requestID, now: now))
        case .body(let bytes):
            machine.bodyReceived(bytes)
        case .end:
            perform(machine.requestEnded(now: now))
        }
    }

    private func perform(_ action: HTTPConnectionStateMachine.Action) {
        switch action {
        case .none:
            break
        case .callHandler(let request, let sequence):
            context.handler.handle(request, responder: HTTPResponder(connection: self, sequence: sequence))
        case .close(.lingering):
            // RFC 9112 §9.6: half-close so the client sees the end of our response,
            // then keep reading (and discarding) until it closes or the linger ends.
            _ = Glibc.shutdown(fd, Int32(SHUT_WR))
            updateReadInterest()
        case .close(.immediately):
            teardown()
        }
    }

    private func updateReadInterest() {
        guard !closed, let source = readSource else { return }
        let wanted = machine.isLingering || machine.wantsRequestData
        if wanted && readSuspended {
            readSuspended = false
            source.resume()
        } else if !wanted && !readSuspended {
            readSuspended = true
            source.suspend()
        }
    }

    // MARK: writing

    /// Encodes every response the machine releases, in order. Returns whether any.
    private func encodeReadyWrites(now: UInt64) -> Bool {
        var any = false
        while !closed, let write = machine.nextWrite() {
            any = true
            switch write {
            case .continue100:
                output.append(HTTPResponseEncoder.continue100)
            case .response(let response, let info, let keepAlive):
                encode(response, info: info, keepAlive: keepAlive, now: now)
            }
        }
        return any
    }

    private func encode(_ response: HTTPServerResponse, info: HTTPRequestInfo, keepAlive: Bool, now: UInt64) {
        var response = response
        var file: (fd: Int32, offset: Int, length: Int)?
        let sendsBody = !info.isHead && !HTTPResponseEncoder.forbidsBody(response.status)
        switch response.body {
        case .file(let path, let offset, let length) where sendsBody:
            // Opened here, on the loop: handlers with a possibly slow disk use `.opened`.
            if let opened = Self.openFile(path, offset: offset, length: length) {
                file = (opened, offset, length)
            } else {
                context.logger.error("response file unreadable", metadata: ["path": "\(path)"])
                response = HTTPServerResponse.serverError(500)
            }
        case .opened(let opened, let offset, let length) where sendsBody:
            if let fd = Self.descriptor(of: opened, offset: offset, length: length) {
                file = (fd, offset, length)
            } else {
                context.logger.error("opened response file shorter than its body or already sent")
                response = HTTPServerResponse.serverError(500)
            }
        default:
            break
        }
        let connection: HTTPResponseEncoder.ConnectionField =
            !keepAlive ? .close : (info.version == .http1_0 ? .keepAlive : .none)
        let length = response.body.length
        let dateLine = loop.dateCache.current()
        output.withBytes { out in
            HTTPResponseEncoder.encodeHead(
                status: response.status, headers: response.headers,
                contentLength: HTTPResponseEncoder.omitsContentLength(response.status, length: length) ? nil : length,
                connection: connection, dateLine: dateLine, requestID: info.requestID, into: &out)
            // RFC 9110 §9.3.2: HEAD gets the same head, without the body.
            if case .bytes(let bytes) = response.body, !info.isHead,
               !HTTPResponseEncoder.forbidsBody(response.status) {
                out.append(contentsOf: bytes)
            }
        }
        if let file { output.appendFile(fd: file.fd, offset: file.offset, length: file.length) }
        reportAnswered(info, status: response.status, bytes: info.isHead ? 0 : length, now: now)
    }

    /// Opens a file body, checking it really holds the promised range.
    private static func openFile(_ path: String, offset: Int, length: Int) -> Int32? {
        guard let opened = HTTPOpenedFile.open(path: path) else { return nil }
        return descriptor(of: opened, offset: offset, length: length)
    }

    /// The opened file's descriptor when it holds the promised range; nil otherwise (the
    /// file is then closed on release).
    private static func descriptor(of opened: HTTPOpenedFile, offset: Int, length: Int) -> Int32? {
        guard offset >= 0, length >= 0, opened.size - offset >= length else { return nil }
        return opened.take()
    }

    /// Tells the observer (metrics) and writes the access event, each only when wanted:
    /// with neither, an answered request costs nothing here.
    private func reportAnswered(_ info: HTTPRequestInfo, status: Int, bytes: Int, now: UInt64) {
        let observer = context.configuration.observer
        let logger = context.logger
        let logs = context.configuration.writesAccessLog && logger.logLevel <= .info
        guard observer != nil || logs else { return }
        let elapsed = now >= info.startedAt ? now - info.startedAt : 0
        // The query string may carry secrets (tokens), so only the path is reported.
        let path = Self.pathOnly(info.target)
        observer?.requestCompleted(HTTPRequestRecord(
            listenerName: context.name, method: info.method, path: path, status: status, bytes: bytes,
            durationNanoseconds: elapsed, requestID: info.requestID, remoteAddress: machine.remoteAddress))
        guard logs else { return }
        // Values are handed over as they are; only the log handler renders them.
        logger.info("request", metadata: [
            "method": .string(info.method),
            "path": .string(String(path)),
            "status": .stringConvertible(status),
            "bytes": .stringConvertible(bytes),
            "duration_ms": .stringConvertible(Double(elapsed / 1000) / 1000),
            "request_id": .string(info.requestID),
            "remote": .string(machine.remoteAddress),
            "listener": .string(context.name),
        ])
    }

    /// The target up to its `?`, without copying.
    static func pathOnly(_ target: String) -> Substring {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return target[...] }
        return target[..<mark]
    }

    private func flush() {
        guard !closed, !output.isEmpty else { return }
        switch output.write(to: fd, fileChunk: context.configuration.fileChunkBytes) {
        case .drained:
            if let source = writeSource, !writeSuspended {
                writeSuspended = true
                source.suspend()
            }
            perform(machine.writeCompleted(now: HTTPSocket.monotonicNanoseconds()))
        case .blocked(let progressed):
            machine.writeBlocked(now: HTTPSocket.monotonicNanoseconds(), progressed: progressed)
            armWriteSource()
        case .failed:
            perform(machine.forceClose())
        }
    }

    private func armWriteSource() {
        if let source = writeSource {
            if writeSuspended {
                writeSuspended = false
                source.resume()
            }
            return
        }
        let source = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: loop.queue)
        source.setEventHandler { [unowned self] in self.writable() }
        source.setCancelHandler { [self] in self.sourceCancelled() }
        writeSource = source
        pendingCancels += 1
        source.resume()
    }

    private func writable() {
        guard !closed else { return }
        flush()
        // Output drained: reading (paused for back-pressure) and parsing may resume.
        if !closed && output.isEmpty { drive() }
    }

    // MARK: closing

    private func teardown() {
        guard !closed else { return }
        closed = true
        output.discard()
        loop.remove(self)
        // A suspended source never delivers its cancellation: resume after cancel.
        if let source = readSource {
            source.cancel()
            if readSuspended { readSuspended = false; source.resume() }
        }
        if let source = writeSource {
            source.cancel()
            if writeSuspended { writeSuspended = false; source.resume() }
        }
    }

    private func sourceCancelled() {
        pendingCancels -= 1
        guard pendingCancels == 0 else { return }
        readSource = nil
        writeSource = nil
        HTTPSocket.close(fd)
        context.connectionClosed()
    }
}
