/// What the callback path must sustain at a given connection count. The provider waits
/// 10 s for an answer and retries 3 times (1 s, 2 s, 4 s apart), so latency far below
/// that is what keeps callbacks from being retried; throughput is many times the
/// callback rate of any realistic submit rate. Group commit must batch: one fsync is
/// about a millisecond or more, so one per callback would cap ingest near 1,000/s.
struct CallbackTargets {
    let throughput: Target
    let p99: Target
    let perCommit: Target

    init(connections: Int) {
        switch connections {
        case ...1:
            // One request at a time: each waits for its own fsync; nothing to batch. A
            // completing callback also wakes the downloader, whose claim is a commit of
            // its own, so up to two commits per callback are expected here.
            throughput = .atLeast(200, "200")
            p99 = .atMost(20, "20 ms")
            perCommit = .atLeast(0.5, "0.5")
        case ...100:
            throughput = .atLeast(2_000, "2,000")
            p99 = .atMost(100, "100 ms")
            perCommit = .atLeast(5, "5")
        default:
            throughput = .atLeast(2_000, "2,000")
            p99 = .atMost(1_000, "1 s")
            perCommit = .atLeast(20, "20")
        }
    }
}
