import Foundation
import Testing
@testable import Daemon

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
        // Bounded wait: receive never blocks longer than 5 s.
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, 0)
        guard n > 0 else { return nil }
        return String(decoding: buffer[..<n], as: UTF8.self)
    }

    deinit { close(fd) }
}

@Suite struct SystemdNotifierTests {
    @Test(arguments: [true, false])
    func messagesArriveOnTheNotifySocket(abstract: Bool) {
        let dir = TemporaryDirectory()
        let socket = NotifySocket(abstract: abstract, directory: dir)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.name])
        #expect(notifier.isEnabled)
        #expect(notifier.ready(status: "serving\npublic=127.0.0.1:8080"))
        #expect(socket.receive() == "READY=1\nSTATUS=serving public=127.0.0.1:8080")
        #expect(notifier.watchdog())
        #expect(socket.receive() == "WATCHDOG=1")
        #expect(notifier.stopping(status: "shutting down"))
        #expect(socket.receive() == "STOPPING=1\nSTATUS=shutting down")
    }

    @Test func withoutNotifySocketNothingIsSent() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        #expect(!notifier.ready())
    }

    @Test func watchdogIntervalIsHalfOfWatchdogUsec() {
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "30000000"], pid: 7) == 15)
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "7"], pid: 7) == 15)
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "8"], pid: 7) == nil)
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "0"], pid: 7) == nil)
        #expect(SystemdNotifier.watchdogInterval(environment: [:], pid: 7) == nil)
    }

    @Test func watchdogPingerSendsPeriodically() {
        let dir = TemporaryDirectory()
        let socket = NotifySocket(abstract: true, directory: dir)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.name])
        let pinger = WatchdogPinger(notifier: notifier, interval: 0.05)
        defer { pinger.stop() }
        #expect(socket.receive() == "WATCHDOG=1")
        #expect(socket.receive() == "WATCHDOG=1")
    }
}
