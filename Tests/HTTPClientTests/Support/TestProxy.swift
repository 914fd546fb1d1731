import Foundation

/// A small CONNECT proxy on loopback: reads the CONNECT head, records it, opens the
/// tunnel to 127.0.0.1:<port> (or refuses with 403) and pumps bytes both ways, bounded
/// in time.
func makeConnectProxy(log: HeadLog, refuse: Bool = false) throws -> TestPeer {
    try TestPeer { c in
        guard let head = c.readHead() else { return }
        log.append(head)
        let target = head.split(separator: " ").dropFirst().first ?? ""
        guard head.hasPrefix("CONNECT "), !refuse, let portText = target.split(separator: ":").last,
              let port = Int(portText), let upstream = TestPeer.connect(port: port) else {
            c.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        }
        defer { close(upstream) }
        c.write("HTTP/1.1 200 Connection established\r\n\r\n")
        let end = Date().addingTimeInterval(15)
        var buf = [UInt8](repeating: 0, count: 16384)
        pump: while Date() < end {
            var fds = [pollfd(fd: c.fd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: upstream, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 2, 100) > 0 else { continue }
            for (i, pfd) in fds.enumerated() where pfd.revents != 0 {
                let from = i == 0 ? c.fd : upstream, to = i == 0 ? upstream : c.fd
                let n = recv(from, &buf, buf.count, 0)
                if n <= 0 { break pump }
                var off = 0
                while off < n {
                    let w = buf[off..<n].withUnsafeBytes { send(to, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    if w <= 0 { break pump }
                    off += w
                }
            }
        }
    }
}
