import Foundation
import TestSupport
import Testing
@testable import Daemon

/// systemd socket activation without systemd: the test binds both listeners itself
/// (port 0), passes them as fds 3 and 4 with LISTEN_FDS / LISTEN_FDNAMES, and LISTEN_PID
/// is the child's own pid (a shell sets it to $$ and execs the daemon, keeping the pid).
@Suite struct SocketActivationTests {
    static func listeningSocket() -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                precondition(bind(fd, $0, length) == 0)
                precondition(listen(fd, 64) == 0)
                precondition(getsockname(fd, $0, &length) == 0)
            }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test func passedSocketsAreUsedByName() async throws {
        let dir = TemporaryDirectory()
        let (internalFD, internalPort) = Self.listeningSocket()
        let (publicFD, publicPort) = Self.listeningSocket()
        defer { close(internalFD); close(publicFD) }

        // The isolated environment, not a bare one: it keeps what the run itself set up
        // (PATH, a sanitizer run's ASAN_OPTIONS) and drops the caller's daemon settings.
        let env = ChildProcess.isolatedEnvironment([
            "LISTEN_FDS": "2", "LISTEN_FDNAMES": "internal:public", "IMAGEHOOK_PROVIDER": "simulator",
            "IMAGEHOOK_DATA_DIR": "\(dir.path)/data", "IMAGEHOOK_READYZ_MIN_FREE_BYTES": "0",
            "IMAGEHOOK_SHUTDOWN_TIMEOUT": "3s",
            // Configured addresses that would collide if they were bound instead.
            "IMAGEHOOK_PUBLIC_LISTEN": "127.0.0.1:\(internalPort)", "IMAGEHOOK_INTERNAL_LISTEN": "127.0.0.1:\(publicPort)",
        ])
        let script = "LISTEN_PID=$$ exec \"$0\" serve"
        // Names follow fd order: 3 = internal, 4 = public (order must not matter).
        let child = try ChildProcess("/bin/sh", ["-c", script, DaemonProcess.binaryPath], environment: env,
                                     stdout: .discard, inherit: [internalFD, publicFD],
                                     name: "imagehookd")

        _ = try? await offPool { try child.waitForLine(containing: "msg=ready", timeout: 30) }
        let log = child.stderr
        #expect(log.contains("msg=ready"), "\(log)")
        #expect(log.contains("msg=\"using socket-activated listener\" logger=imagehookd listener=public"))
        #expect(log.contains("msg=\"using socket-activated listener\" logger=imagehookd listener=internal"))
        // /metrics exists only on the internal listener: proves the names were matched.
        let viaInternal = try await HTTPProbe.get("http://127.0.0.1:\(internalPort)/metrics")
        #expect(viaInternal.status == 200)
        let viaPublic = try await HTTPProbe.get("http://127.0.0.1:\(publicPort)/metrics")
        #expect(viaPublic.status == 404)
        #expect(try await HTTPProbe.get("http://127.0.0.1:\(publicPort)/healthz").status == 200)

        child.signal(SIGTERM)
        let exit = await child.exited(within: 10)
        #expect(exit == .exited(0), "ended with \(exit.map { "\($0)" } ?? "no exit within 10 s"):\n\(child.tail(20))")
    }
}
