import Support

/// Idle keep-alive connections per origin, bounded in count per origin and in age.
/// Only connections whose previous response was read to its end are ever put back
/// (`ConnectionReuse.decide`), so a reused stream always starts at a message boundary.
final class ConnectionPool: Sendable {
    /// A stream parked in the pool. Streams are used by one request at a time; the pool
    /// hands each out to exactly one taker, which is what makes the transfer safe.
    struct Entry: @unchecked Sendable {
        let stream: any ByteStream
        let idleSince: UInt64
    }

    private let idle = Locked<[PoolKey: [Entry]]>([:])
    private let maxPerOrigin: Int
    private let expiryNanoseconds: UInt64

    init(maxPerOrigin: Int, expirySeconds: Double) {
        self.maxPerOrigin = max(0, maxPerOrigin)
        self.expiryNanoseconds = UInt64(max(0, expirySeconds) * 1e9)
    }

    deinit {
        idle.withLock { all in
            for entries in all.values { for e in entries { e.stream.close() } }
            all = [:]
        }
    }

    /// The most recently parked live connection for `key`, discarding expired or
    /// peer-closed ones on the way. `now` is read before the lock, so another thread
    /// may park a connection stamped later than it: its age is then zero, never a
    /// negative difference (an unsigned underflow that trapped the daemon in the soak).
    func take(_ key: PoolKey, now: UInt64 = Deadline.now()) -> (any ByteStream)? {
        guard maxPerOrigin > 0 else { return nil }
        while true {
            let entry: Entry? = idle.withLock { all in
                guard var list = all[key], let last = list.popLast() else { return nil }
                all[key] = list.isEmpty ? nil : list
                return last
            }
            guard let entry else { return nil }
            let age = now > entry.idleSince ? now - entry.idleSince : 0
            if age <= expiryNanoseconds && entry.stream.isIdleAndOpen() {
                return entry.stream
            }
            entry.stream.close()
        }
    }

    /// Parks a fully-read connection, or closes it when the origin's slots are full.
    func put(_ stream: any ByteStream, for key: PoolKey, now: UInt64 = Deadline.now()) {
        let entry = Entry(stream: stream, idleSince: now)
        let overflow: Entry? = idle.withLock { all in
            var list = all[key] ?? []
            list.append(entry)
            let dropped = list.count > maxPerOrigin ? list.removeFirst() : nil
            all[key] = list.isEmpty ? nil : list
            return dropped
        }
        overflow?.stream.close()
    }

    var idleCount: Int { idle.withLock { $0.values.reduce(0) { $0 + $1.count } } }
}
