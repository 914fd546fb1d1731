#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A non-blocking TCP socket; every wait is a poll() bounded by a deadline and sliced
/// so that task cancellation is noticed within ~100 ms.
final class Socket: ByteStream, @unchecked Sendable {
    private(set) var fd: Int32
    var cancel: CancellationFlag
    var endedUncleanly: Bool { false }

    private init(fd: Int32, cancel: CancellationFlag) {
        self.fd = fd
        self.cancel = cancel
    }

    deinit { close() }

    func close() {
        if fd >= 0 { _ = Glibc.close(fd); fd = -1 }
    }

    /// Tries each (already policy-checked) address in order within one deadline.
    static func connect(to addresses: [ResolvedAddress], deadline: Deadline,
                        cancel: CancellationFlag) throws(HTTPClientError) -> Socket {
        var lastError = HTTPClientError.connect("no address")
        for address in addresses {
            do {
                return try connect(to: address, deadline: deadline, cancel: cancel)
            } catch {
                if case .timeout = error { throw error }
                if case .cancelled = error { throw error }
                lastError = error
            }
        }
        throw lastError
    }

    static func connect(to address: ResolvedAddress, deadline: Deadline,
                        cancel: CancellationFlag) throws(HTTPClientError) -> Socket {
        let fd = Glibc.socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .connect("socket(): \(errnoText())") }
        let socket = Socket(fd: fd, cancel: cancel)
        var one: Int32 = 1
        // Requests are written in one go and then awaited; Nagle only adds latency.
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var storage = address.storage
        let rc = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, address.length) }
        }
        if rc != 0 {
            guard errno == EINPROGRESS else { throw .connect("\(address.address): \(errnoText())") }
            try socket.wait(for: Int16(POLLOUT), deadline: deadline)
            var soError: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
            if soError != 0 {
                throw .connect("\(address.address): \(String(cString: strerror(soError)))")
            }
        }
        return socket
    }

    /// Waits until `events` are ready; POLLERR/POLLHUP count as ready so the next
    /// syscall reports the real condition. Cancellation wakes the wait at once.
    func wait(for events: Int16, deadline: Deadline) throws(HTTPClientError) {
        try Self.wait(on: fd, events: events, deadline: deadline, cancel: cancel)
    }

    /// One poll() on `fd` and the cancellation eventfd, bounded by `deadline`.
    static func wait(on fd: Int32, events: Int16, deadline: Deadline, cancel: CancellationFlag) throws(HTTPClientError) {
        while true {
            if cancel.isCancelled { throw .cancelled }
            let remaining = deadline.remainingMilliseconds
            if remaining <= 0 { throw deadline.error }
            var fds = [pollfd(fd: fd, events: events, revents: 0),
                       pollfd(fd: cancel.fd, events: Int16(POLLIN), revents: 0)]
            // Without an eventfd (-1 is ignored by poll), fall back to short slices.
            let slice = cancel.fd >= 0 ? min(remaining, Int(Int32.max)) : min(remaining, 100)
            let rc = poll(&fds, 2, Int32(slice))
            if fds[1].revents != 0 || cancel.isCancelled { throw .cancelled }
            if rc > 0 { return }
            if rc < 0 && errno != EINTR { throw .io("poll(): \(errnoText())") }
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer, deadline: Deadline) throws(HTTPClientError) {
        var offset = 0
        while offset < bytes.count {
            // MSG_NOSIGNAL: a peer that closed must not kill the process with SIGPIPE.
            let n = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if n > 0 { offset += n; continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                try wait(for: Int16(POLLOUT), deadline: deadline)
                continue
            }
            if n < 0 && errno == EINTR { continue }
            throw .io("send(): \(errnoText())")
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws(HTTPClientError) -> Int {
        while true {
            let n = recv(fd, buffer.baseAddress, buffer.count, 0)
            if n >= 0 { return n }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                try wait(for: Int16(POLLIN), deadline: deadline)
                continue
            }
            if errno == EINTR { continue }
            if errno == ECONNRESET { throw .io("connection reset by peer") }
            throw .io("recv(): \(errnoText())")
        }
    }

    func isIdleAndOpen() -> Bool {
        guard fd >= 0 else { return false }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        // Readable while idle means EOF, reset or stray bytes: not reusable.
        return poll(&pfd, 1, 0) == 0
    }
}

func errnoText() -> String { String(cString: strerror(errno)) }
