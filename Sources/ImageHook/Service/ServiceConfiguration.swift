/// Every value the service needs, each named, each with a safe default. The daemon fills
/// it from its config file (keys in snake_case next to each field).
public struct ServiceConfiguration: Sendable {
    /// `public_url`: base of the callback URL handed to the provider; the reverse proxy
    /// exposes `<public_url>/v1/callbacks/*` only.
    public var publicURL: String
    /// `image_base_url`: base of the image URLs in relayed and queried tasks (the internal
    /// listener's address as callers reach it). Empty: root-relative `/v1/images/...`.
    public var imageBaseURL: String
    /// `data_dir`: holds `imagehook.sqlite`, `images/`, `tmp/` and `token.key`.
    public var dataDirectory: String
    /// `internal_tokens_file` contents: caller name -> bearer token.
    public var internalTokens: [String: String]
    /// `relay_secret`: Standard Webhooks secret (`whsec_<base64>`); nil = relay unsigned.
    public var relaySecret: String?

    /// `download_workers`: concurrent image downloads.
    public var downloadWorkers: Int = 4
    /// `download_backoff_base_s` / `download_backoff_cap_s`.
    public var downloadBackoffBase: Double = 1
    public var downloadBackoffCap: Double = 600
    /// `link_lifetime_s`: provider fact, result links expire 24 h after task creation.
    public var linkLifetime: Double = 86_400
    /// `download_max_content_fault_attempts`: corrupt/truncated bodies retried this often.
    public var maxContentFaultAttempts: Int = 4
    /// `download_max_attempts`.
    public var maxDownloadAttempts: Int = 60
    /// `max_image_bytes`: larger images fail as `tooLarge`.
    public var maxImageBytes: Int = 64 << 20
    /// `verify_dimensions`: require decoded dimensions to equal the requested `size`.
    public var verifyDimensions: Bool = true

    /// `poll_grace_s`: added to `estimated_time` before the first poll.
    public var pollGrace: Double = 30
    /// `poll_default_estimate_s`: when the provider sent no `estimated_time`.
    public var pollDefaultEstimate: Double = 30
    /// `poll_backoff_base_s` / `poll_backoff_cap_s`.
    public var pollBackoffBase: Double = 5
    public var pollBackoffCap: Double = 300
    /// `poll_give_up_s`: a task unfinished this long after submit is no longer polled.
    public var pollGiveUpAfter: Double = 172_800
    /// `poll_concurrency`: polls in flight at once.
    public var pollConcurrency: Int = 4

    /// `relay_backoff_base_s` / `relay_backoff_cap_s` / `relay_retention_s` (>= 24 h).
    public var relayBackoffBase: Double = 2
    public var relayBackoffCap: Double = 3600
    public var relayRetention: Double = 129_600
    /// `relay_lease_s`: a claimed delivery is retried after this if the process dies mid-POST.
    public var relayLease: Double = 120
    /// `download_lease_s`: a `running` download job not finished this long after it was
    /// claimed is claimed again. Longer than a download may take (total timeout plus
    /// verification), so a live worker is not raced.
    public var downloadLease: Double = 900
    /// `relay_concurrency`.
    public var relayConcurrency: Int = 4

    /// `submit_max_attempts`: provider submit tries (same Idempotency-Key) before the
    /// submission is left `ambiguous` for the background resolver.
    public var submitMaxAttempts: Int = 3
    /// `submit_retry_base_s`: backoff base between those tries.
    public var submitRetryBase: Double = 0.5
    /// `ambiguous_resolve_interval_s`: background retry interval for ambiguous submits.
    public var ambiguousResolveInterval: Double = 30
    /// `ambiguous_resolve_concurrency`: ambiguous submits retried at once by their own
    /// worker (never by the poll loop, which must keep recovering lost callbacks).
    public var ambiguousResolveConcurrency: Int = 2
    /// `ambiguous_give_up_age_s`: a submission still unconfirmed this long after it was
    /// first sent is given up (`abandoned`), never retried again. The provider's
    /// idempotency window is not documented (the simulator keeps keys 24 h); a retry
    /// with the same key after it passes could create a second, billed task, so this
    /// stays well inside any plausible window.
    public var ambiguousGiveUpAge: Double = 6 * 3600
    /// `submit_answer_timeout_s`: the longest a submit holds its caller. After it the
    /// caller gets 202 (accepted, not yet confirmed) and the provider call, its retries
    /// and the background resolver carry on; the same Idempotency-Key fetches the end.
    public var submitAnswerTimeout: Double = 10

    /// `callback_body_limit`: bytes; callback bodies are small task JSON.
    public var callbackBodyLimit: Int = 256 << 10
    /// `submit_body_limit`: bytes; the prompt is at most 2000 tokens.
    public var submitBodyLimit: Int = 64 << 10
    /// `retry_after_s`: Retry-After sent with 503 (store unavailable) and 409 (in flight).
    public var retryAfterSeconds: Int = 2
    /// `idempotency_key_max_length`.
    public var maxIdempotencyKeyLength: Int = 255
    /// `list_default_limit` / `list_max_limit` for `GET /v1/tasks`.
    public var listDefaultLimit: Int = 50
    public var listMaxLimit: Int = 500
    /// `scheduler_idle_s`: longest sleep of a background loop between scans.
    public var schedulerIdle: Double = 1
    /// `store_readers`: SQLite read connections.
    public var storeReaders: Int = 4
    /// `store_max_pending_writes`: writes waiting for the single writer at most; beyond
    /// it callers get 503 with Retry-After (a slow disk pushes back).
    public var storeMaxPendingWrites: Int = 10_000
    /// `store_wal_autocheckpoint_pages`: WAL pages before SQLite checkpoints in the
    /// committing thread. A checkpoint stalls the single writer (it copies pages to the
    /// database file and fsyncs it), so fewer, larger ones keep callback latency even.
    public var storeWALAutoCheckpointPages: Int = 10_000

    public init(publicURL: String, dataDirectory: String, internalTokens: [String: String] = [:],
                imageBaseURL: String = "", relaySecret: String? = nil) {
        self.publicURL = publicURL
        self.dataDirectory = dataDirectory
        self.internalTokens = internalTokens
        self.imageBaseURL = imageBaseURL
        self.relaySecret = relaySecret
    }

    var downloadPolicy: DownloadRetryPolicy {
        DownloadRetryPolicy(backoff: Backoff(base: downloadBackoffBase, cap: downloadBackoffCap),
                            linkLifetime: linkLifetime, maxContentFaultAttempts: maxContentFaultAttempts,
                            maxAttempts: maxDownloadAttempts)
    }

    var pollSchedule: PollSchedule {
        PollSchedule(grace: pollGrace, defaultEstimate: pollDefaultEstimate,
                     backoff: Backoff(base: pollBackoffBase, cap: pollBackoffCap, floor: min(1, pollBackoffBase)),
                     giveUpAfter: pollGiveUpAfter)
    }

    var relayPolicy: RelayRetryPolicy {
        RelayRetryPolicy(backoff: Backoff(base: relayBackoffBase, cap: relayBackoffCap, floor: min(0.5, relayBackoffBase)),
                         retention: relayRetention)
    }
}
