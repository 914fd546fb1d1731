/// Tunables of the store, each with a safe default.
public struct DatabaseConfiguration: Sendable, Equatable {
    /// How long SQLite waits for a lock held by another process (backup, sqlite3 CLI)
    /// before answering SQLITE_BUSY, which the store reports as `.unavailable`.
    public var busyTimeoutMilliseconds: Int
    /// Read-only connections; WAL lets them run beside the single writer.
    public var readerCount: Int
    /// Most `write` bodies folded into one BEGIN ... COMMIT. Bounds the latency a caller
    /// pays for others' work and the size of a batch lost to one failing COMMIT.
    public var maxBatchSize: Int
    /// Prepared statements kept per connection.
    public var statementCacheCapacity: Int
    /// WAL pages before an automatic checkpoint (SQLite's default is 1000).
    public var walAutoCheckpointPages: Int
    /// Size the WAL file is truncated back to after a checkpoint, so one burst does not
    /// keep a large log on disk forever.
    public var walSizeLimitBytes: Int
    /// `write` calls waiting for the writer at most; beyond it `write` fails at once
    /// with `.unavailable` (the API answers 503 with Retry-After), so a slow disk
    /// pushes back instead of letting callers pile up.
    public var maxPendingWrites: Int

    public init(busyTimeoutMilliseconds: Int = 5_000, readerCount: Int = 4, maxBatchSize: Int = 512,
                statementCacheCapacity: Int = 128, walAutoCheckpointPages: Int = 1_000,
                walSizeLimitBytes: Int = 64 * 1024 * 1024, maxPendingWrites: Int = 10_000) {
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.readerCount = readerCount
        self.maxBatchSize = maxBatchSize
        self.statementCacheCapacity = statementCacheCapacity
        self.walAutoCheckpointPages = walAutoCheckpointPages
        self.walSizeLimitBytes = walSizeLimitBytes
        self.maxPendingWrites = maxPendingWrites
    }
}
