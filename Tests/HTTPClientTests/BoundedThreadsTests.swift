import Foundation
import Synchronization
import Testing
@testable import HTTPClient

/// Silent peers and a silent DNS server pin a fixed number of threads however many
/// downloads wait on them; cancellation ends every one of them at once.
@Suite(.serialized) struct BoundedThreadsTests {
    final class Counts: Sendable {
        let finished = Atomic<Int>(0)
        let cancelled = Atomic<Int>(0)
    }

    @Test func threadsStayFlatUnder1000DownloadsToSilentPeersAndASilentDNSServer() async throws {
        // Accepts nothing: connections sit in the kernel's backlog, requests are never
        // answered (or, past the backlog, connects never complete).
        let silentPeer = try TestPeer(backlog: 1024, accepting: false)
        let dns = try SilentDNSServer()
        let client = HTTPClient(configuration: loopbackConfiguration {
            $0.timeouts = HTTPClientTimeouts(dns: 5, connect: 5, tls: 5, firstByte: 5, idle: 5, total: 10)
            $0.maxConcurrentRequests = 16
            $0.maxQueuedRequests = 2000
            $0.maxLookupsInFlight = 4
            $0.hostLookup = dns.lookup()
        })
        let counts = Counts()
        let work = Task {
            await withTaskGroup(of: Void.self) { group in
                for i in 0..<1000 {
                    let url = i % 2 == 0 ? "http://127.0.0.1:\(silentPeer.port)/\(i).png" : "http://img\(i).silent.test/\(i).png"
                    group.addTask {
                        let error = await clientError { _ = try await client.execute(HTTPClientRequest(url: url)) }
                        if error == .cancelled { counts.cancelled.add(1, ordering: .relaxed) }
                        counts.finished.add(1, ordering: .relaxed)
                    }
                }
            }
        }
        // Wait (bounded) until every worker and lookup slot is taken.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && (client.workerThreadCount < 16 || dns.started.load(ordering: .relaxed) < 4) {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        // The client's own threads: its request and lookup workers, all it ever starts
        // (the whole process's count is not used: other suites run alongside). Without
        // the bound this was one per request, over a thousand.
        #expect(client.workerThreadCount <= 16 + 4)
        #expect(dns.mostInFlight.load(ordering: .relaxed) <= 4)
        #expect(counts.finished.load(ordering: .relaxed) == 0)

        // Cancelling wakes the blocked and the queued at once (no 60 s timeouts).
        let cancelAt = Date()
        work.cancel()
        await work.value
        #expect(Date().timeIntervalSince(cancelAt) < 10)
        #expect(counts.finished.load(ordering: .relaxed) == 1000)
        #expect(counts.cancelled.load(ordering: .relaxed) == 1000)
    }

    @Test func aFullQueueIsRefusedAtOnce() async throws {
        let silentPeer = try TestPeer(backlog: 64, accepting: false)
        let client = HTTPClient(configuration: loopbackConfiguration {
            $0.timeouts = HTTPClientTimeouts(dns: 5, connect: 5, tls: 5, firstByte: 5, idle: 5, total: 10)
            $0.maxConcurrentRequests = 1
            $0.maxQueuedRequests = 1
        })
        let url = "http://127.0.0.1:\(silentPeer.port)/x.png"
        let held = (0..<2).map { _ in Task { await clientError { _ = try await client.execute(HTTPClientRequest(url: url)) } } }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline && client.workerThreadCount < 1 { try await Task.sleep(nanoseconds: 10_000_000) }
        try await Task.sleep(nanoseconds: 100_000_000)  // let the second one reach the queue
        let third = await clientError { _ = try await client.execute(HTTPClientRequest(url: url)) }
        guard case .overloaded = third else {
            for t in held { t.cancel() }
            var heldErrors: [String] = []
            for t in held { heldErrors.append(String(describing: await t.value)) }
            Issue.record("third: \(String(describing: third)); held: \(heldErrors)")
            return
        }
        for t in held { t.cancel() }
        for t in held { #expect(await t.value == .cancelled) }
    }
}
