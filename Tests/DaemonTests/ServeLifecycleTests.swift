import Foundation
import Testing
@testable import Daemon
import TestSupport

@Suite struct ServeLifecycleTests {
    @Test func watchdogPingsRepeatedlyAfterReadyWithAStatus() async throws {
        let dir = TemporaryDirectory()
        let notify = NotifySocket(abstract: false, directory: dir)
        let daemon = try DaemonProcess(arguments: ["serve"], environment: [
            "IMAGEHOOK_PUBLIC_LISTEN": "127.0.0.1:0", "IMAGEHOOK_INTERNAL_LISTEN": "127.0.0.1:0",
            "IMAGEHOOK_DATA_DIR": dir.path + "/data", "IMAGEHOOK_SHUTDOWN_TIMEOUT": "3s",
            "NOTIFY_SOCKET": notify.name, "WATCHDOG_USEC": "400000",
        ])
        _ = try await daemon.waitForLine(containing: "msg=ready")
        let ready = notify.receive()
        #expect(ready?.hasPrefix("READY=1\nSTATUS=serving; public ") == true, "\(ready ?? "nothing")")
        #expect(ready?.contains("SIMULATOR MODE") == true)
        // The interval itself (half of WATCHDOG_USEC) is checked in SystemdNotifierTests.
        #expect(notify.receive() == "WATCHDOG=1")
        #expect(notify.receive() == "WATCHDOG=1")
        #expect(await daemon.signalAndWait(SIGINT, timeout: 15) == 0)
    }

    @Test func aTakenAddressFailsTheStartWithAClearMessage() async throws {
        let dir = TemporaryDirectory()
        let first = try DaemonProcess(arguments: ["serve"], environment: [
            "IMAGEHOOK_PUBLIC_LISTEN": "127.0.0.1:0", "IMAGEHOOK_INTERNAL_LISTEN": "127.0.0.1:0",
            "IMAGEHOOK_DATA_DIR": dir.path + "/a", "IMAGEHOOK_SHUTDOWN_TIMEOUT": "3s",
        ])
        let line = try await first.waitForLine(containing: "msg=ready")
        let taken = try #require(DaemonProcess.field("public_port", in: line))
        let second = try DaemonProcess(arguments: ["serve"], environment: [
            "IMAGEHOOK_PUBLIC_LISTEN": "127.0.0.1:\(taken)", "IMAGEHOOK_INTERNAL_LISTEN": "127.0.0.1:0",
            "IMAGEHOOK_DATA_DIR": dir.path + "/b",
        ])
        #expect(await second.waitForExit(timeout: 15) == 70)
        #expect(second.stderr.contains("level=critical msg=\"cannot start\""))
        #expect(second.stderr.contains("cannot listen on 127.0.0.1:\(taken) for the public listener"))
        #expect(await first.signalAndWait(SIGTERM, timeout: 15) == 0)
    }

    @Test func statusLineSummarisesQueuesAgeAndLedger() {
        typealias S = MetricsRegistry.Sample
        let samples = [S(name: "imagehook_queue_depth", help: "", labels: [("queue", "downloads")], value: 3),
                       S(name: "imagehook_queue_depth", help: "", labels: [("queue", "relays")], value: 1),
                       S(name: "imagehook_oldest_unfinished_task_age_seconds", help: "", value: 42.7),
                       S(name: "imagehook_ledger_balanced", help: "", value: 0)]
        let line = DaemonRuntime.statusLine(base: "serving; public 1, internal 2", samples: samples)
        #expect(line == "serving; public 1, internal 2; downloads queued 3; relays pending 1; oldest unfinished task 42 s; LEDGER UNBALANCED")
        #expect(!line.contains("\n"))
    }
}
