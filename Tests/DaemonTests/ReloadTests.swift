import Foundation
import Testing
@testable import Daemon
import TestSupport

@Suite struct ReloadTests {
    @Test func sighupAppliesReloadableKeysAndNamesTheRest() async throws {
        let dir = TemporaryDirectory()
        let config = dir.write("imagehook.conf", """
        public_listen = 127.0.0.1:0
        internal_listen = 127.0.0.1:0
        data_dir = \(dir.path)/data
        readyz_min_free_bytes = 0
        shutdown_timeout = 3s
        log_level = info
        """, mode: 0o644)
        let daemon = try DaemonProcess(arguments: ["serve", "--config", config], environment: [:])
        _ = try await daemon.waitForLine(containing: "msg=ready")

        dir.write("imagehook.conf", """
        public_listen = 127.0.0.1:0
        internal_listen = 127.0.0.1:0
        data_dir = \(dir.path)/data
        readyz_min_free_bytes = 0
        shutdown_timeout = 3s
        log_level = debug
        max_body_bytes = 2MiB
        download_workers = 8
        """, mode: 0o644)
        kill(daemon.pid, SIGHUP)
        let applied = try await daemon.waitForLine(containing: "msg=\"configuration reloaded\"")
        #expect(applied.contains("applied=log_level,max_body_bytes") || applied.contains("applied=max_body_bytes,log_level")
                || applied.contains("applied=\"log_level,max_body_bytes\""), "\(applied)")
        let restart = try await daemon.waitForLine(containing: "need a restart")
        #expect(restart.contains("download_workers"))

        // A broken file is refused on reload and the daemon keeps running.
        dir.write("imagehook.conf", "log_level = chatty\n", mode: 0o644)
        kill(daemon.pid, SIGHUP)
        let refused = try await daemon.waitForLine(containing: "reload refused")
        #expect(refused.contains("log_level"))
        #expect(daemon.isRunning)
        #expect(await daemon.signalAndWait(SIGTERM, timeout: 15) == 0)
    }
}
