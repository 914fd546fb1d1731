import HTTP1

/// Runs one request to completion on the calling (dedicated, non-cooperative) thread:
/// policy checks, redirects, connection acquisition and the exchange itself.
struct RequestExecutor {
    let configuration: HTTPClientConfiguration
    let tls: LazyTLSContext
    let pool: ConnectionPool
    let lookups: BlockingWorkPool
    let cancel: CancellationFlag

    /// Largest redirect body read to keep a connection reusable; beyond it the
    /// connection is simply closed.
    static let maxDiscardedBodyBytes = 64 * 1024

    func run(_ request: HTTPClientRequest, sink: any HTTPBodySink) throws(HTTPClientError) -> HTTPClientResponse {
        let total = Deadline.after(configuration.timeouts.total, .total)
        var url = try HTTPURL(parsing: request.url)
        var current = request
        var redirects = 0
        try validate(current)
        while true {
            if !url.isTLS && !configuration.allowPlainHTTP {
                throw .refusedByPolicy("plain http to \(url.authority) is not allowed by configuration")
            }
            let outcome = try exchange(current, url: url, total: total, sink: sink, redirectsSoFar: redirects)
            switch outcome {
            case .response(let response):
                return response
            case .redirect(let next):
                redirects += 1
                if (next.scheme, next.host, next.port) != (url.scheme, url.host, url.port) {
                    // Credentials are for the origin they were given to (RFC 9110 §15.4).
                    for name in ["Authorization", "Cookie", "Proxy-Authorization"] {
                        current.headers.remove(name: name)
                    }
                }
                url = next
                current.url = next.description
            }
        }
    }

    enum Outcome {
        case response(HTTPClientResponse)
        case redirect(HTTPURL)
    }

    /// Header injection is refused outright rather than repaired.
    private func validate(_ request: HTTPClientRequest) throws(HTTPClientError) {
        guard !request.method.isEmpty,
              request.method.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5a }) else {
            throw .invalidRequest("method must be an upper-case token")
        }
        for field in request.headers {
            let bad: (UInt8) -> Bool = { $0 == 0x0d || $0 == 0x0a || $0 == 0 }
            if field.name.isEmpty || field.name.utf8.contains(where: { bad($0) || $0 == 0x3a || $0 == 0x20 })
                || field.value.utf8.contains(where: bad) {
                throw .invalidRequest("header \(field.name) contains forbidden characters")
            }
        }
    }

    // MARK: - one hop

    private func exchange(_ request: HTTPClientRequest, url: HTTPURL, total: Deadline,
                          sink: any HTTPBodySink, redirectsSoFar: Int) throws(HTTPClientError) -> Outcome {
        try configuration.addressPolicy.check(host: url.host, port: url.port)
        let proxy = configuration.proxy.proxy(scheme: url.scheme, host: url.host)
        let key = PoolKey(scheme: url.scheme, host: url.host, port: url.port, proxy: proxy)
        var attempt = 0
        while true {
            let pooled = pool.take(key)
            let stream: any ByteStream
            if let pooled {
                pooled.cancel = cancel
                stream = pooled
            } else {
                stream = try connect(url: url, proxy: proxy, total: total)
            }
            var receivedBytes = false
            do {
                return try roundTrip(request, url: url, key: key, stream: stream, total: total, sink: sink,
                                     redirectsSoFar: redirectsSoFar, receivedBytes: &receivedBytes)
            } catch {
                stream.close()
                if ConnectionReuse.mayRetry(reusedConnection: pooled != nil, receivedResponseBytes: receivedBytes,
                                            idempotent: request.isIdempotentRead, attempt: attempt, error: error) {
                    attempt += 1
                    continue
                }
                throw error
            }
        }
    }

    // MARK: - connection

    private func connect(url: HTTPURL, proxy: ProxyEndpoint?, total: Deadline) throws(HTTPClientError) -> any ByteStream {
        let t = configuration.timeouts
        // A broken TLS setup fails before any network activity.
        let context: TLSContext? = url.isTLS ? try tls.get() : nil
        let socket: Socket
        if let proxy {
            // The proxy itself is operator-configured and trusted. Under a restricting
            // policy the proxy must not resolve the target: it would widen the policy
            // for names (an internal name, a rebinding answer). So the target is
            // resolved and checked here and the tunnel asks for the checked address.
            var tunnelHost = url.host
            if configuration.addressPolicy.restrictAddresses {
                let checked = try resolveAndCheck(url: url, total: total)
                tunnelHost = checked[0].address.description
            }
            let addresses = try Resolver.resolve(host: proxy.host, port: proxy.port,
                                                 deadline: Deadline.after(t.dns, .dns).capped(by: total), cancel: cancel,
                                                 lookup: configuration.hostLookup, pool: lookups)
            let connectDeadline = Deadline.after(t.connect, .connect).capped(by: total)
            socket = try Socket.connect(to: addresses, deadline: connectDeadline, cancel: cancel)
            try ProxyTunnel.open(on: socket, target: HTTPURL(scheme: url.scheme, host: tunnelHost, port: url.port,
                                                             target: url.target),
                                 proxy: proxy, deadline: connectDeadline,
                                 maxHeaderBytes: configuration.maxResponseHeaderBytes)
        } else {
            let addresses = try resolveAndCheck(url: url, total: total)
            socket = try Socket.connect(to: addresses, deadline: Deadline.after(t.connect, .connect).capped(by: total),
                                        cancel: cancel)
        }
        guard let context else { return socket }
        return try TLSStream(socket: socket, context: context, host: url.host,
                             deadline: Deadline.after(t.tls, .tls).capped(by: total))
    }

    /// The target's addresses, every one checked before any connect: one refused
    /// address refuses the name (a mix of public and internal answers is a rebinding
    /// attempt). Names that are not `inet_pton` literals (`127.1`, `2130706433`,
    /// `localhost.`) are judged here, on what the resolver made of them.
    private func resolveAndCheck(url: HTTPURL, total: Deadline) throws(HTTPClientError) -> [ResolvedAddress] {
        // The absolute form ("localhost.") names the same host; the C resolver's files
        // source would not match it, and it must not fall through to a DNS query.
        let addresses = try Resolver.resolve(host: AddressPolicy.normalizedHost(url.host), port: url.port,
                                             deadline: Deadline.after(configuration.timeouts.dns, .dns).capped(by: total),
                                             cancel: cancel, lookup: configuration.hostLookup, pool: lookups)
        for a in addresses { try configuration.addressPolicy.check(address: a.address) }
        return addresses
    }

    // MARK: - request / response

    private func requestHead(_ request: HTTPClientRequest, url: HTTPURL) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: url.authority)
        // Framing and connection management belong to this layer, not the caller.
        let managed = ["host", "content-length", "transfer-encoding", "connection", "te", "upgrade",
                       "keep-alive", "proxy-connection"]
        for field in request.headers where !managed.contains(field.name.lowercased()) {
            headers.add(name: field.name, value: field.value)
        }
        if !headers.contains(name: "User-Agent") { headers.add(name: "User-Agent", value: configuration.userAgent) }
        if configuration.acceptCompressed && !headers.contains(name: "Accept-Encoding") {
            headers.add(name: "Accept-Encoding", value: "gzip, deflate")
        }
        if !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(request.method) {
            headers.add(name: "Content-Length", value: String(request.body.count))
        }
        if configuration.maxIdleConnectionsPerOrigin == 0 { headers.add(name: "Connection", value: "close") }
        return HTTPRequestHead(method: request.method, target: url.target, headers: headers)
    }

    private func roundTrip(_ request: HTTPClientRequest, url: HTTPURL, key: PoolKey, stream: any ByteStream,
                           total: Deadline, sink: any HTTPBodySink, redirectsSoFar: Int,
                           receivedBytes: inout Bool) throws(HTTPClientError) -> Outcome {
        let t = configuration.timeouts
        var bytes = HTTPSerializer.serialize(requestHead(request, url: url))
        bytes.append(contentsOf: request.body)
        try bytes.withRawBytes { (raw) throws(HTTPClientError) in
            try stream.write(raw, deadline: Deadline.after(t.idle, .idle).capped(by: total))
        }

        var limits = HTTPParserLimits()
        limits.maxHeaderBytes = configuration.maxResponseHeaderBytes
        limits.maxBodyBytes = configuration.maxBodyBytes
        var parser = HTTPResponseParser(limits: limits)
        parser.setRequestMethod(request.method)

        var head: HTTPResponseHead?
        var delivery: BodyDelivery?
        var redirectTo: HTTPURL?
        var discarded = 0
        var complete = false
        var endUnconfirmed = false
        let firstByte = Deadline.after(t.firstByte, .firstByte).capped(by: total)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)

        func handle(_ event: HTTPResponseEvent) throws(HTTPClientError) {
            switch event {
            case .head(let h):
                head = h
                let decision = RedirectDecision.evaluate(
                    status: h.status, method: request.method, location: h.headers["Location"], current: url,
                    redirectsSoFar: redirectsSoFar, maxRedirects: configuration.maxRedirects)
                switch decision {
                case .fail(let error): throw error
                case .follow(let next):
                    redirectTo = next
                    try configuration.addressPolicy.check(host: next.host, port: next.port)
                    // A redirect's body is skipped (up to maxDiscardedBodyBytes, then the
                    // connection is dropped), so its size must not fail the request.
                    parser.setBodyLimit(Int.max)
                case .deliver:
                    if case .contentLength(let n) = h.framing, n > configuration.maxBodyBytes { throw .tooLarge }
                    let decoder = try BodyDelivery.decoder(for: h.headers, enabled: configuration.acceptCompressed,
                                                           maxBytes: configuration.maxBodyBytes)
                    delivery = BodyDelivery(sink: sink, maxBytes: configuration.maxBodyBytes, decoder: decoder)
                }
            case .body(let b):
                if let delivery { try delivery.receive(b) } else { discarded += b.count }
            case .end:
                try delivery?.finish()
                if case .untilClose = head?.framing, stream.endedUncleanly {
                    guard configuration.deliversUnconfirmedCloseDelimitedBodies else { throw .truncated }
                    endUnconfirmed = true
                }
                complete = true
            }
        }

        func nextEvent() throws(HTTPClientError) -> HTTPResponseEvent? {
            do { return try parser.next() } catch { throw Self.map(error) }
        }
        func finishEvent() throws(HTTPClientError) -> HTTPResponseEvent? {
            do { return try parser.finish() } catch { throw Self.map(error) }
        }

        readLoop: while !complete {
            while let event = try nextEvent() {
                try handle(event)
                if complete { break readLoop }
            }
            if redirectTo != nil && discarded > Self.maxDiscardedBodyBytes { break }
            let deadline = receivedBytes ? Deadline.after(t.idle, .idle).capped(by: total) : firstByte
            let n = try buffer.withMutableRawBytes { (raw) throws(HTTPClientError) in
                try stream.read(into: raw, deadline: deadline)
            }
            if n == 0 {
                if !receivedBytes { throw .io("connection closed before any response byte") }
                while let event = try finishEvent() {
                    try handle(event)
                    if complete { break }
                }
                if !complete { throw .truncated }
                break
            }
            receivedBytes = true
            parser.append(contentsOf: buffer[0..<n])
        }

        guard let head else { throw .truncated }
        let reusable = ConnectionReuse.decide(.init(
            poolingEnabled: configuration.maxIdleConnectionsPerOrigin > 0, responseComplete: complete,
            responseKeepAlive: head.keepAlive, bodyUntilClose: head.framing == .untilClose,
            leftoverBytes: parser.hasBufferedBytes, status: head.status))
        if reusable { pool.put(stream, for: key) } else { stream.close() }

        if let redirectTo { return .redirect(redirectTo) }
        var headers = head.headers
        if delivery?.isDecoding == true {
            // The caller receives the decoded representation; these described the coded one.
            headers.remove(name: "Content-Encoding")
            headers.remove(name: "Content-Length")
        }
        return .response(HTTPClientResponse(status: head.status, headers: headers, body: [], url: url.description,
                                            endUnconfirmed: endUnconfirmed))
    }

    static func map(_ error: HTTPParseError) -> HTTPClientError {
        switch error {
        case .truncated: .truncated
        case .payloadTooLarge: .tooLarge
        default: .protocolError(error.description)
        }
    }
}
