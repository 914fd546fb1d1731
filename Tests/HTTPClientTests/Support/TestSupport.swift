import Foundation
import Support
@testable import HTTPClient

/// A client configuration for loopback peers: plain http allowed, 127.0.0.0/8 and any
/// port opened as exceptions to the strict policy, no proxy. Timeouts are bounds for
/// tests that do not test them (those set their own): a loopback peer answers in
/// milliseconds, but on a saturated machine (load 25 on two cores) a peer thread took
/// over 5 s to send a head.
func loopbackConfiguration(_ modify: (inout HTTPClientConfiguration) -> Void = { _ in }) -> HTTPClientConfiguration {
    var c = HTTPClientConfiguration(
        timeouts: HTTPClientTimeouts(dns: 30, connect: 30, tls: 30, firstByte: 30, idle: 30, total: 60),
        allowPlainHTTP: true,
        addressPolicy: AddressPolicy(allowNetworks: [IPNetwork("127.0.0.0/8")!], allowedPorts: nil),
        // Well past any stall of a loaded test process between two requests, so reuse
        // tests see the pooled connection; the expiry test sets its own value.
        idleConnectionExpiry: 120,
        proxy: .none)
    modify(&c)
    return c
}

/// Counts and keeps what it receives.
final class CollectingSink: HTTPBodySink {
    var bytes: [UInt8] = []
    var writes = 0
    func write(_ buffer: UnsafeRawBufferPointer) throws {
        writes += 1
        bytes.append(contentsOf: buffer)
    }
}

/// Thread-safe record of the request heads a peer saw.
final class HeadLog: Sendable {
    private let heads = Locked<[String]>([])
    func append(_ head: String) { heads.withLock { $0.append(head) } }
    var all: [String] { heads.withLock { $0 } }
}

/// Runs `body` and returns the HTTPClientError it throws (nil if none).
func clientError(_ body: () async throws -> Void) async -> HTTPClientError? {
    do {
        try await body()
        return nil
    } catch let error as HTTPClientError {
        return error
    } catch {
        return .invalidRequest("not an HTTPClientError: \(error)")
    }
}

func response(_ status: Int = 200, headers: [String] = [], body: [UInt8]) -> [UInt8] {
    var text = "HTTP/1.1 \(status) X\r\n"
    for h in headers { text += h + "\r\n" }
    text += "\r\n"
    return Array(text.utf8) + body
}

func chunked(_ pieces: [[UInt8]]) -> [UInt8] {
    var out: [UInt8] = []
    for p in pieces where !p.isEmpty { out += Array((String(p.count, radix: 16) + "\r\n").utf8) + p + [13, 10] }
    return out + Array("0\r\n\r\n".utf8)
}
