import Dispatch
import Glibc
import HTTP1
import Logging
import Testing
@testable import HTTPServer
import Support
import TestSupport

/// Graceful shutdown and systemd socket activation.
@Suite struct HTTPServerLifecycleTests {
    @Test func gracefulShutdownFinishesTheInFlightRequest() async throws {
        // The handler holds the request; the test answers it only after the shutdown
        // began, so the request is in flight during the shutdown however slowly the
        // test gets there.
        let received = DispatchSemaphore(value: 0)
        let held = Locked<HTTPResponder?>(nil)
        let handler = TestHandler { _, responder in
            held.withLock { $0 = responder }
            received.signal()
        }
        let server = try TestServer(handler: handler)
        let port = server.port
        let idle = try TestClient(port: port)
        let busy = try TestClient(port: port)
        try busy.send("GET /work HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(await signalled(received, within: 5))

        let completed = DispatchSemaphore(value: 0)
        server.server.shutdown(deadline: 5) { completed.signal() }
        let responder = try #require(held.withLock { $0 })
        // A margin for the shutdown to reach the connection's event loop first.
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) {
            responder.send(HTTPServerResponse(status: 200, body: .bytes(Array("done".utf8))))
        }
        let response = try await offPool { try busy.response() }
        #expect(response.status == 200)
        #expect(response.text == "done")
        #expect(response.headers["Connection"] == "close")
        #expect(await offPool { busy.closedByServer() })
        #expect(await offPool { idle.closedByServer() })
        #expect(await signalled(completed, within: 5))
        #expect(throws: TestClient.Failure.self) { _ = try TestClient(port: port) }
    }

    @Test func shutdownForceClosesAtTheDeadline() async throws {
        // The handler never answers: only the deadline ends the connection.
        let handler = TestHandler { _, _ in }
        let server = try TestServer(handler: handler)
        let client = try TestClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        try await Task.sleep(for: .milliseconds(100))
        let completed = DispatchSemaphore(value: 0)
        let calls = Locked(0)
        let started = HTTPSocket.monotonicNanoseconds()
        server.server.shutdown(deadline: 0.5) {
            calls.withLock { $0 += 1 }
            completed.signal()
        }
        #expect(await signalled(completed, within: 5))
        let elapsed = Double(HTTPSocket.monotonicNanoseconds() - started) / 1e9
        #expect(elapsed >= 0.45)
        #expect(await offPool { client.closedByServer() })
        try await Task.sleep(for: .milliseconds(100))
        #expect(calls.withLock { $0 } == 1)
    }

    @Test func socketActivationUsesPassedDescriptors() async throws {
        // The variables' meaning, as sd_listen_fds(3) defines it (fds from 3 on).
        #expect(SystemdSockets.passed(listenPID: "\(getpid() + 1)", listenFDs: "2", listenFDNames: nil,
                                      processID: getpid(), firstDescriptor: 3).isEmpty) // another process's
        #expect(SystemdSockets.passed(listenPID: "\(getpid())", listenFDs: "0", listenFDNames: nil,
                                      processID: getpid(), firstDescriptor: 3).isEmpty)
        #expect(SystemdSockets.passed(listenPID: "x", listenFDs: "2", listenFDNames: nil,
                                      processID: getpid(), firstDescriptor: 3).isEmpty)
        let mapped = SystemdSockets.passed(listenPID: "\(getpid())", listenFDs: "3", listenFDNames: "public:internal",
                                           processID: getpid(), firstDescriptor: 3)
        #expect(mapped.map(\.name) == ["public", "internal", "unknown"])
        #expect(mapped.map(\.fd) == [3, 4, 5])

        // A passed socket is already listening: the server serves on it as it is (made
        // non-blocking). The sockets are this test's own, so no other test's descriptor
        // numbers are touched; the real LISTEN_* path runs in DaemonTests' child process.
        let sockets = ["public": try Self.listeningSocket(), "internal": try Self.listeningSocket()]
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        for name in ["public", "internal"] {
            let fd = try #require(sockets[name])
            let server = HTTPServer(name: name, configuration: TestServer.quickConfiguration(),
                                    handler: TestHandler.echo, logger: logger)
            try server.start(listeningSocket: fd)
            #expect(fcntl(fd, F_GETFL) & O_NONBLOCK != 0)
            let client = try TestClient(port: server.boundPort)
            try client.send("GET /\(name) HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try await offPool { try client.response() }.headers["X-Path"] == "/\(name)")
            let done = DispatchSemaphore(value: 0)
            server.shutdown(deadline: 1) { done.signal() }
            #expect(await signalled(done, within: 5))
        }
    }

    @Test func startRejectsBadInputAndServesIPv6() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let server = HTTPServer(name: "t", configuration: TestServer.quickConfiguration(),
                                handler: TestHandler.echo, logger: logger)
        let plain = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(plain) }
        #expect(throws: HTTPServerError.notListening(fd: plain)) { try server.start(listeningSocket: plain) }
        #expect(throws: HTTPServerError.invalidAddress("::1:80")) { try server.start(address: "::1:80") }
        #expect(throws: HTTPServerError.invalidAddress("127.0.0.1:70000")) { try server.start(address: "127.0.0.1:70000") }
        try server.start(address: "[::1]:0")
        #expect(server.boundPort > 0)
        let client = try TestClient(port: server.boundPort, ipv6: true)
        try client.send("GET /v6 HTTP/1.1\r\nHost: [::1]\r\n\r\n")
        #expect(try await offPool { try client.response() }.headers["X-Path"] == "/v6")
        let done = DispatchSemaphore(value: 0)
        server.shutdown(deadline: 1) { done.signal() }
        #expect(await signalled(done, within: 5))
    }

    private static func listeningSocket() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw ListenFailed() }
        return fd
    }
}

private struct ListenFailed: Error {}
