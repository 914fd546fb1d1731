import Foundation
import Testing
@testable import HTTPClient

/// Each deadline phase against a peer that misbehaves in exactly that phase.
@Suite struct TimeoutTests {
    func timeouts(_ set: (inout HTTPClientTimeouts) -> Void) -> HTTPClientConfiguration {
        loopbackConfiguration { set(&$0.timeouts) }
    }

    @Test func connectTimeoutWhenTheBacklogIsFull() async throws {
        let peer = try TestPeer(backlog: 0, accepting: false)
        // Fill the accept queue so further SYNs are dropped and connect() hangs.
        var fillers: [Int32] = []
        defer { for f in fillers { close(f) } }
        for _ in 0..<4 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = in_port_t(UInt16(peer.port).bigEndian)
            _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            fillers.append(fd)
        }
        try await Task.sleep(nanoseconds: 100_000_000)
        let client = HTTPClient(configuration: timeouts { $0.connect = 0.5 })
        let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/")) }
        #expect(error == .timeout(phase: "connect"))
    }

    @Test func tlsHandshakeTimeoutWhenThePeerNeverSpeaksTLS() async throws {
        let peer = try TestPeer { c in c.waitForClose(seconds: 5) }
        let client = HTTPClient(configuration: timeouts { $0.tls = 0.5 })
        let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(peer.port)/")) }
        #expect(error == .timeout(phase: "tls"))
    }

    @Test func firstByteTimeoutWhenThePeerNeverAnswers() async throws {
        let peer = try TestPeer { c in _ = c.readHead(); c.waitForClose(seconds: 5) }
        let client = HTTPClient(configuration: timeouts { $0.firstByte = 0.5 })
        let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/")) }
        #expect(error == .timeout(phase: "firstByte"))
    }

    @Test func idleTimeoutWhenTheBodyStalls() async throws {
        let peer = try TestPeer { c in
            _ = c.readHead()
            c.write(response(headers: ["Content-Length: 100"], body: Array(repeating: 1, count: 10)))
            c.waitForClose(seconds: 5)
        }
        let client = HTTPClient(configuration: timeouts { $0.idle = 0.5 })
        let sink = CollectingSink()
        let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/"), sink: sink) }
        #expect(error == .timeout(phase: "idle"))
        #expect(sink.bytes.count == 10)
    }

    @Test func totalTimeoutForASlowDrip() async throws {
        let peer = try TestPeer { c in
            _ = c.readHead()
            c.write(response(headers: ["Content-Length: 1000"], body: []))
            for _ in 0..<100 { c.write([1]); usleep(50_000) }
        }
        let client = HTTPClient(configuration: timeouts { $0.idle = 2; $0.total = 1 })
        let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/")) }
        #expect(error == .timeout(phase: "total"))
    }

    @Test func cancellationStopsAWaitingRequest() async throws {
        let peer = try TestPeer { c in _ = c.readHead(); c.waitForClose(seconds: 5) }
        let client = HTTPClient(configuration: loopbackConfiguration())
        let task = Task { await clientError { _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/")) } }
        try await Task.sleep(nanoseconds: 200_000_000)
        task.cancel()
        #expect(await task.value == .cancelled)
    }
}
