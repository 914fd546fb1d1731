import HTTP1

/// Every limit and timeout of the server, each with a safe default for a listener that
/// faces the internet through a reverse proxy.
public struct HTTPServerConfiguration: Sendable {
    /// Body limit for handlers that do not override `bodyLimit(for:)`; larger -> 413.
    public static let defaultBodyLimit = 1024 * 1024

    /// Request line (8 KiB -> 414), header section (64 KiB or 100 fields -> 431), chunk
    /// extensions and trailers. `maxBodyBytes` is replaced per request by the handler's
    /// `bodyLimit(for:)`.
    public var parserLimits: HTTPParserLimits = HTTPParserLimits()
    /// Open connections; one more is answered 503 and closed.
    public var maxConnections: Int = 4096
    /// Connections beyond `maxConnections` that are still answered 503 (each lingers
    /// briefly); beyond this they are closed without a word.
    public var maxRejectingConnections: Int = 64
    /// Requests read ahead of their responses on one connection (pipelining); reading
    /// pauses at this depth.
    public var maxPipelinedRequests: Int = 16
    /// Absolute deadline for a whole header section, counted from accept for the first
    /// request and from its first byte for later ones, so a slow trickle cannot hold a
    /// connection (answered 408).
    public var headerTimeout: Double = 10
    /// Absolute deadline for a whole request body, counted from the end of its head.
    public var bodyTimeout: Double = 30
    /// Keep-alive: how long a connection may sit between requests.
    public var idleTimeout: Double = 60
    /// How long backed-up output may make no progress (peer not reading) before the
    /// connection is dropped.
    public var writeTimeout: Double = 30
    /// How long output may stay backed up in one stretch, even while the peer keeps
    /// reading, before the connection is dropped: bounds a slow reader of a large
    /// response (a trickle of progress resets `writeTimeout` every time).
    public var drainTimeout: Double = 300
    /// Lingering close after an error response (RFC 9112 §9.6): read and discard for
    /// at most this long / this many bytes, so the peer sees the response instead of
    /// a reset.
    public var lingerTimeout: Double = 2
    public var lingerMaxBytes: Int = 256 * 1024
    /// Suggested grace period for `shutdown(deadline:)` callers.
    public var shutdownGrace: Double = 10
    /// `listen(2)` backlog.
    public var listenBacklog: Int32 = 1024
    /// After `EMFILE`/`ENFILE`, accepting pauses this long instead of spinning.
    public var acceptPauseOnExhaustion: Double = 0.1
    /// Connections accepted per wake-up of a listener before yielding.
    public var acceptBatch: Int = 64
    /// Granularity of the deadline sweep; deadlines fire up to this much late.
    public var timerResolution: Double = 0.25
    /// Serial queues connections are spread over; 0 = four per CPU (at most 16). More
    /// queues than CPUs measured faster: one preempted worker then stalls fewer
    /// connections, and each queue costs only its 64 KiB read buffer.
    public var eventLoops: Int = 0
    /// Per-loop read buffer, shared by that loop's connections.
    public var readBufferBytes: Int = 64 * 1024
    /// Largest piece of a file body handed to one `sendfile`.
    public var fileChunkBytes: Int = 1024 * 1024
    /// Told about every answered request (metrics); nil costs nothing.
    public var observer: (any HTTPServerObserver)? = nil
    /// Whether the server writes its own `request` event (info) per answered request.
    /// A caller whose observer writes its own access line turns this off so requests
    /// are not logged twice.
    public var writesAccessLog: Bool = true

    public init() {}
}
