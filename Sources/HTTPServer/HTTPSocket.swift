#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin POSIX socket helpers. Every call that can be interrupted is retried on EINTR.
enum HTTPSocket {
    /// Sends to a peer that went away must fail with EPIPE, not kill the process.
    /// Done once per process, before the first server starts.
    static let ignoreSIGPIPE: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()

    static func accept4(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?,
                        _ length: UnsafeMutablePointer<socklen_t>?, _ flags: Int32) -> Int32 {
        systemAccept4(fd, address, length, flags)
    }

    static func errorString(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return "\(String(cString: text)) (errno \(code))"
    }

    /// Creates, configures, binds and listens on the first usable address for `address`.
    static func listen(on address: HTTPListenAddress, text: String, backlog: Int32) throws(HTTPServerError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(address.host, String(address.port), &hints, &list)
        guard rc == 0, let first = list else {
            throw .resolve(address: text, reason: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(list) }
        var lastError = HTTPServerError.resolve(address: text, reason: "no address")
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            cursor = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family,
                            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
                            0)
            guard fd >= 0 else { lastError = .socket(operation: "socket", errno: errno); continue }
            // Restarting the daemon must not wait for old connections in TIME_WAIT.
            setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
            if bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
                lastError = .socket(operation: "bind \(text)", errno: errno)
                _ = Glibc.close(fd)
                continue
            }
            if Glibc.listen(fd, backlog) != 0 {
                lastError = .socket(operation: "listen \(text)", errno: errno)
                _ = Glibc.close(fd)
                continue
            }
            return fd
        }
        throw lastError
    }

    /// Prepares a socket inherited from the service manager.
    static func adoptListening(_ fd: Int32) throws(HTTPServerError) {
        var accepting: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0, accepting != 0 else {
            throw .notListening(fd: fd)
        }
        try setNonBlocking(fd)
        setCloseOnExec(fd)
    }

    static func setNonBlocking(_ fd: Int32) throws(HTTPServerError) {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw .socket(operation: "fcntl O_NONBLOCK", errno: errno)
        }
    }

    static func setCloseOnExec(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFD)
        if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
        var value = value
        _ = setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Responses are written whole and coalesced, so Nagle's delay only adds latency.
    static func setNoDelay(_ fd: Int32) {
        setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
    }

    static func localPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { return 0 }
        return withUnsafePointer(to: &storage) { pointer -> Int in
            switch Int32(pointer.pointee.ss_family) {
            case AF_INET:
                return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin_port))
                }
            case AF_INET6:
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin6_port))
                }
            default:
                return 0
            }
        }
    }

    /// `ip:port` or `[ip]:port`, numerically; formatted on the stack (once per
    /// connection, for the access log).
    static func describe(_ storage: UnsafePointer<sockaddr_storage>) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(INET6_ADDRSTRLEN)) { text -> String in
            let family = Int32(storage.pointee.ss_family)
            let port: UInt16
            let converted: UnsafePointer<CChar>?
            switch family {
            case AF_INET:
                var address = storage.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
                port = UInt16(bigEndian: address.sin_port)
                converted = inet_ntop(AF_INET, &address.sin_addr, text.baseAddress, socklen_t(text.count))
            case AF_INET6:
                var address = storage.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
                port = UInt16(bigEndian: address.sin6_port)
                converted = inet_ntop(AF_INET6, &address.sin6_addr, text.baseAddress, socklen_t(text.count))
            default:
                return "-"
            }
            guard let converted else { return "-" }
            let host = String(cString: converted)
            return family == AF_INET6 ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
    }

    /// Closes, retrying nothing: on Linux the descriptor is released even on EINTR.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    static func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}

/// `accept4(2)`: the accepted socket is non-blocking and close-on-exec atomically, with
/// no window where an exec could inherit it. Glibc's module map hides it (a GNU
/// extension), so it is bound by its C symbol.
@_silgen_name("accept4")
private func systemAccept4(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?,
                           _ length: UnsafeMutablePointer<socklen_t>?, _ flags: Int32) -> Int32
