import HTTP1
import Support

/// Opens a CONNECT tunnel (RFC 9110 §9.3.6) through an HTTP proxy to the target's
/// host:port; afterwards the socket carries the target connection (TLS end to end).
enum ProxyTunnel {
    static func open(on socket: Socket, target: HTTPURL, proxy: ProxyEndpoint, deadline: Deadline,
                     maxHeaderBytes: Int) throws(HTTPClientError) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: target.hostAndPort)
        if let credentials = proxy.credentials {
            headers.add(name: "Proxy-Authorization", value: "Basic " + Base64.encode(Array(credentials.utf8)))
        }
        let head = HTTPRequestHead(method: "CONNECT", target: target.hostAndPort, headers: headers)
        try HTTPSerializer.serialize(head).withRawBytes { (raw) throws(HTTPClientError) in
            try socket.write(raw, deadline: deadline)
        }
        var limits = HTTPParserLimits()
        limits.maxHeaderBytes = maxHeaderBytes
        limits.maxBodyBytes = 64 * 1024
        var parser = HTTPResponseParser(limits: limits)
        parser.setRequestMethod("CONNECT")
        // Read one byte at a time: bytes after the proxy's header section belong to the
        // tunnel (the target's TLS), so none may be consumed here.
        var byte: [UInt8] = [0]
        var total = 0
        while true {
            let n = try byte.withMutableRawBytes { (raw) throws(HTTPClientError) in try socket.read(into: raw, deadline: deadline) }
            if n == 0 { throw .connect("proxy \(proxy) closed the connection during CONNECT") }
            total += 1
            if total > maxHeaderBytes + 1024 { throw .protocolError("proxy response header too large") }
            parser.append(contentsOf: byte)
            let event: HTTPResponseEvent?
            do { event = try parser.next() } catch { throw .protocolError("proxy response: \(error)") }
            guard case .head(let response)? = event else { continue }
            guard (200..<300).contains(response.status) else {
                throw .connect("proxy \(proxy) refused CONNECT to \(target.hostAndPort): status \(response.status)")
            }
            return
        }
    }
}
