import Foundation
import Testing
@testable import Daemon
import TestSupport

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
