import Foundation
import Synchronization

/// A minimal blocking TCP peer on 127.0.0.1:0. Each accepted connection is handed to
/// `handler` on its own thread and closed afterwards. Everything is bounded in time.
final class TestPeer: Sendable {
    let port: Int
    private let fd: Int32
    private let state = PeerState()
    private let accepting: Bool

    /// `accepting: false` never calls accept() (a full backlog for connect timeouts).
    init(backlog: Int32 = 16, accepting: Bool = true,
         handler: @escaping @Sendable (_ connection: PeerConnection) -> Void = { _ in }) throws {
        let (fd, port) = try Self.listen(backlog: backlog)
        self.fd = fd
        self.port = port
        self.accepting = accepting
        guard accepting else { return }
        // The accept thread owns the listening socket and closes it when it stops: were
        // deinit to close it while the thread still polls, the number could be reused by
        // another test's socket in the meantime and accept() would take its connections.
        let thread = Thread { [fd, state] in
            while !state.stopped.load(ordering: .relaxed) {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, 50) > 0 else { continue }
                let c = accept(fd, nil, nil)
                guard c >= 0 else { continue }
                state.accepted.add(1, ordering: .relaxed)
                let connection = PeerConnection(fd: c)
                Thread { handler(connection); connection.close() }.start()
            }
            Foundation.close(fd)
        }
        thread.start()
    }

    /// Never blocks: deinit runs on whichever (cooperative) thread drops the last
    /// reference, and the accept thread notices the flag within its 50 ms poll.
    deinit {
        state.stopped.store(true, ordering: .relaxed)
        if !accepting { Foundation.close(fd) }
    }

    /// Connections accepted so far.
    var connectionCount: Int { state.accepted.load(ordering: .relaxed) }

    static func listen(backlog: Int32) throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard rc == 0, Foundation.listen(fd, backlog) == 0 else { throw TestFailure("bind/listen") }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return (fd, Int(UInt16(bigEndian: addr.sin_port)))
    }

    /// A port that was free a moment ago (for children that cannot report theirs).
    static func freePort() throws -> Int {
        let (fd, port) = try listen(backlog: 1)
        Foundation.close(fd)
        return port
    }

    /// Blocking connect to 127.0.0.1:port; nil on failure.
    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 { Foundation.close(fd); return nil }
        return fd
    }

    static func waitUntilListening(port: Int, seconds: Double) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if let fd = connect(port: port) { Foundation.close(fd); return true }
            usleep(20_000)
        }
        return false
    }
}

final class PeerState: Sendable {
    let stopped = Atomic<Bool>(false)
    let accepted = Atomic<Int>(0)
}

/// One accepted connection with bounded blocking helpers.
final class PeerConnection: @unchecked Sendable {
    let fd: Int32
    private var buffered: [UInt8] = []

    /// How long a blocking read or write waits. Generous on purpose: a keep-alive
    /// test's client may be held up for many seconds between two requests when the
    /// whole test process is loaded, and a peer giving up on the idle connection first
    /// would look like the client failing to reuse it. Handler threads still end when
    /// the client closes (its pool closes idle connections when the client goes away).
    static let ioTimeoutSeconds = 60

    init(fd: Int32) {
        self.fd = fd
        var tv = timeval(tv_sec: Self.ioTimeoutSeconds, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    func close() { Foundation.close(fd) }

    /// Reads a request head (through the blank line); nil on EOF/timeout.
    func readHead() -> String? {
        let end: [UInt8] = [13, 10, 13, 10]
        while true {
            if let r = buffered.firstRange(of: end) {
                let head = String(decoding: buffered[..<r.upperBound], as: UTF8.self)
                buffered.removeSubrange(..<r.upperBound)
                return head
            }
            guard buffered.count < 65536, let more = readSome() else { return nil }
            buffered.append(contentsOf: more)
        }
    }

    /// Reads exactly n bytes (after a head), nil on EOF.
    func readBytes(_ n: Int) -> [UInt8]? {
        while buffered.count < n {
            guard let more = readSome() else { return nil }
            buffered.append(contentsOf: more)
        }
        let out = Array(buffered[..<n])
        buffered.removeSubrange(..<n)
        return out
    }

    func readSome() -> [UInt8]? {
        var buf = [UInt8](repeating: 0, count: 16384)
        let n = recv(fd, &buf, buf.count, 0)
        return n > 0 ? Array(buf[..<n]) : nil
    }

    func write(_ bytes: [UInt8]) {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            off += n
        }
    }

    func write(_ text: String) { write(Array(text.utf8)) }

    /// Waits (bounded) until the peer closes; used to hold a connection open.
    func waitForClose(seconds: Double = 10) {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 50) > 0 {
                var b: UInt8 = 0
                if recv(fd, &b, 1, Int32(MSG_PEEK)) <= 0 { return }
                if readSome() == nil { return }
            }
        }
    }
}
