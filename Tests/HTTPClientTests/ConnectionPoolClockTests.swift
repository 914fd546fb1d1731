import Testing
@testable import HTTPClient

/// The pool's clock arithmetic, without sockets: a taker reads its clock before another
/// thread parks a connection stamped later (the race that trapped the daemon in the
/// soak with an unsigned underflow); expiry still applies to really old connections.
@Suite struct ConnectionPoolClockTests {
    final class IdleStream: ByteStream {
        var closed = false
        var cancel = CancellationFlag()
        var endedUncleanly: Bool { false }
        func write(_ bytes: UnsafeRawBufferPointer, deadline: Deadline) throws(HTTPClientError) {}
        func read(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws(HTTPClientError) -> Int { 0 }
        func isIdleAndOpen() -> Bool { !closed }
        func close() { closed = true }
    }

    static let key = PoolKey(scheme: "https", host: "a.example", port: 443, proxy: nil)

    @Test func connectionParkedAfterTheTakersClockReadIsReused() {
        let pool = ConnectionPool(maxPerOrigin: 2, expirySeconds: 5)
        let stream = IdleStream()
        pool.put(stream, for: Self.key, now: 2_000_000_000)
        let taken = pool.take(Self.key, now: 1_000_000_000)
        #expect(taken === stream)
        #expect(!stream.closed)
    }

    @Test func connectionIdleLongerThanTheExpiryIsClosed() {
        let pool = ConnectionPool(maxPerOrigin: 2, expirySeconds: 5)
        let stream = IdleStream()
        pool.put(stream, for: Self.key, now: 1_000_000_000)
        #expect(pool.take(Self.key, now: 7_000_000_000) == nil)
        #expect(stream.closed)
    }
}
