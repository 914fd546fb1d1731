/// Idle connections must be cheap: a keep-alive pool in front of the daemon (or a
/// provider that keeps connections open) can hold thousands. A connection owns its
/// socket and a little state; the read buffer is shared per event loop.
struct IdleTargets {
    let rss: Target
    let perConnection: Target

    init(connections: Int) {
        perConnection = .atMost(4096, "4 KiB")
        rss = connections <= 2_000 ? .atMost(32_000_000, "32 MB") : .atMost(64_000_000, "64 MB")
    }
}
