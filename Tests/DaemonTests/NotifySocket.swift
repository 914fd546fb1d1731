import Foundation
import TestSupport

/// A real AF_UNIX datagram socket standing in for systemd's notification socket.
final class NotifySocket {
    let fd: Int32
    let name: String  // value for NOTIFY_SOCKET

    init(abstract: Bool, directory: TemporaryDirectory) {
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        precondition(fd >= 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes: [UInt8]
        if abstract {
            name = "@imagehook-test-" + UUID().uuidString
            bytes = Array(name.utf8)
            bytes[0] = 0
        } else {
            name = directory.path + "/notify.sock"
            bytes = Array(name.utf8) + [0]
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        precondition(rc == 0, "bind failed: \(errno)")
    }

    /// Bound for one `receive`: generous, because a whole-suite run on a loaded machine
    /// can delay the sender by seconds, yet finite so a missing message fails the test.
    static let receiveTimeout = 20.0

    /// The next datagram, waiting at most `timeout` seconds; nil when none came.
    func receive(timeout: Double = NotifySocket.receiveTimeout) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let message = receiveQueued() { return message }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return nil }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&entry, 1, Int32(min(left, 1) * 1000) + 1)
        }
    }

    /// Every datagram already queued, without waiting (at most `limit`). Once the sender
    /// has exited this is all it ever sent: an AF_UNIX datagram is in the receiver's
    /// queue when sendto returns (or sendto blocks until there is room).
    func drain(limit: Int = 64) -> [String] {
        var messages: [String] = []
        while messages.count < limit, let message = receiveQueued() { messages.append(message) }
        return messages
    }

    private func receiveQueued() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var n: Int
        repeat { n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT)) } while n < 0 && errno == EINTR
        guard n > 0 else { return nil }
        return String(decoding: buffer[..<n], as: UTF8.self)
    }

    deinit { close(fd) }
}
