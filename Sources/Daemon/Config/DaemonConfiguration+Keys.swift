import Logging

extension DaemonConfiguration {
    /// Every key the file and `IMAGEHOOK_<KEY>` accept, in the order of
    /// `config/imagehook.conf`.
    public static let keys: [ConfigKey] = [
        .listen("public_listen", \.publicListen, "127.0.0.1:8080",
                "Listener for the provider's callbacks (put the TLS proxy in front of it)."),
        .listen("internal_listen", \.internalListen, "127.0.0.1:8081",
                "Listener for internal clients: submit, queries, /metrics, /readyz. Never expose it."),
        .make("data_dir", "/var/lib/imagehook", "absolute path",
              "Directory for the database and the stored images (systemd: StateDirectory=imagehook).") { c, text in
            guard text.hasPrefix("/") else { return .init("expected an absolute path, got `\(text)`") }
            c.dataDir = text
            return nil
        },
        .make("public_url", "", "https URL",
              "Public base URL of the TLS proxy; callbacks go to <public_url>/v1/callbacks/<token>. Required with provider = evolink; http only in simulator mode.") { c, text in
            if text.isEmpty { c.publicURL = nil; return nil }
            switch ConfigValueParser.url(text, schemes: ["https", "http"]) {
            case .success(let u): c.publicURL = u; return nil
            case .failure(let m): return m
            }
        },
        .make("provider", "evolink", "evolink|simulator",
              "Which provider tasks go to: evolink (the real API; needs provider_api_key_file) or simulator (the embedded EvoLink simulator on loopback, for local development; spends nothing). Never chosen implicitly.") { c, text in
            guard let kind = ProviderKind(rawValue: text.lowercased()) else {
                return .init("expected evolink or simulator, got `\(text)`")
            }
            c.provider = kind
            return nil
        },
        .make("provider_base_url", "https://api.evolink.ai", "https URL",
              "EvoLink API base URL.") { c, text in
            switch ConfigValueParser.url(text, schemes: ["https", "http"]) {
            case .success(let u): c.providerBaseURL = u; return nil
            case .failure(let m): return m
            }
        },
        .secret("provider_api_key_file", \.providerAPIKeyFile,
                "File holding the EvoLink API key. Empty: $CREDENTIALS_DIRECTORY/evolink-api-key if present. Required with provider = evolink; unused with provider = simulator."),
        .duration("provider_connect_timeout", \.providerConnectTimeout, "10s",
                  "Connect + TLS handshake deadline for provider API calls."),
        .duration("provider_request_timeout", \.providerRequestTimeout, "30s",
                  "Whole-request deadline for provider API calls."),
        .secret("internal_tokens_file", \.internalTokensFile,
                "File of `name:token` lines accepted as bearer tokens on the internal listener. Empty: $CREDENTIALS_DIRECTORY/internal-tokens if present. Required with provider = evolink. SIGHUP refuses removed tokens at once; added ones need a restart."),
        .secret("relay_secret_file", \.relaySecretFile,
                "File holding the HMAC key that signs relayed task notifications. Empty: $CREDENTIALS_DIRECTORY/relay-secret if present. Required with provider = evolink."),
        .make("log_level", "info", "trace|debug|info|notice|warning|error|critical", reloadable: true,
              "Lowest level written to stderr (logfmt).") { c, text in
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                return .init("expected one of trace, debug, info, notice, warning, error, critical, got `\(text)`")
            }
            c.logLevel = level
            return nil
        },
        .size("max_request_line_bytes", \.maxRequestLineBytes, "8KiB", min: 256, 
              "Longest request line; longer -> 414."),
        .size("max_header_bytes", \.maxHeaderBytes, "64KiB", min: 1024, 
              "Largest header section; larger -> 431."),
        .count("max_header_count", \.maxHeaderCount, "100", 8...10_000, 
               "Most header fields per request; more -> 431."),
        .size("max_body_bytes", \.maxBodyBytes, "1MiB", min: 1024, reloadable: true,
              "Largest request body on the internal listener; larger -> 413."),
        .size("callback_max_body_bytes", \.callbackMaxBodyBytes, "256KiB", min: 1024, reloadable: true,
              "Largest callback body on the public listener; larger -> 413. Keep nginx client_max_body_size equal."),
        .count("max_connections", \.maxConnections, "1024", 1...1_000_000, 
               "Open connections per listener; beyond -> 503 and close."),
        .duration("header_timeout", \.headerTimeout, "10s", 
                  "Deadline for a whole request head, so a slow trickle cannot hold a connection."),
        .duration("body_timeout", \.bodyTimeout, "30s",  "Deadline for a whole request body."),
        .duration("idle_timeout", \.idleTimeout, "60s",  "Keep-alive idle deadline."),
        .duration("write_timeout", \.writeTimeout, "30s",
                  "How long backed-up output may make no progress (peer not reading) before the connection is dropped."),
        .duration("drain_timeout", \.drainTimeout, "300s",
                  "How long output may stay backed up in one stretch, however slowly the peer reads, before the connection is dropped."),
        .duration("shutdown_timeout", \.shutdownTimeout, "20s",
                  "Graceful shutdown deadline after SIGTERM; keep below systemd TimeoutStopSec."),
        .count("download_workers", \.downloadWorkers, "4", 1...64, "Concurrent image downloads."),
        .size("download_max_bytes", \.downloadMaxBytes, "64MiB", min: 1024, "Largest image accepted; larger fails as too large."),
        .networks("download_allow_networks", \.downloadAllowNetworks, "",
                  "Private networks image downloads may reach (default: public addresses only)."),
        .make("download_allowed_hosts", "", "comma-separated host names",
              "If set, image URLs must be on one of these hosts.") { c, text in
            c.downloadAllowedHosts = ConfigValueParser.list(text).map { $0.lowercased() }
            return nil
        },
        .count("outbound_max_requests", \.outboundMaxRequests, "64", 1...4096,
               "Download and relay requests running at once per client (each a thread blocked on its peer); more wait in a queue of outbound_max_queued, beyond that they fail at once and are retried later."),
        .count("outbound_max_queued", \.outboundMaxQueued, "4096", 0...1_000_000,
               "Download and relay requests waiting for a worker per client."),
        .count("outbound_max_lookups", \.outboundMaxLookups, "8", 1...256,
               "Name lookups in flight at once per client (getaddrinfo cannot be interrupted, so a silent DNS server pins at most this many threads)."),
        .proxy("download_proxy", \.downloadProxy,
               "Proxy for image downloads. Empty: direct (HTTPS_PROXY/HTTP_PROXY apply to provider calls only). Through it the daemon still resolves and checks every target and tunnels to the checked address."),
        .make("download_allowed_ports", "80,443", "comma-separated ports 1...65535, or * / empty = any port",
              "Ports image URLs may name; any other port is refused before connecting.") { c, text in
            switch ConfigValueParser.ports(text) {
            case .success(let ports): c.downloadAllowedPorts = ports; return nil
            case .failure(let m): return m
            }
        },
        .duration("download_connect_timeout", \.downloadConnectTimeout, "10s", "Connect + TLS deadline per download."),
        .duration("download_first_byte_timeout", \.downloadFirstByteTimeout, "30s", "Deadline for the response head."),
        .duration("download_idle_timeout", \.downloadIdleTimeout, "30s", "Longest pause between body bytes."),
        .duration("download_total_timeout", \.downloadTotalTimeout, "300s", "Deadline for a whole download."),
        .count("download_max_attempts", \.downloadMaxAttempts, "60", 1...10_000,
               "Attempts per image before it is given up (result links die after 24 h anyway)."),
        .count("download_max_content_fault_attempts", \.downloadMaxContentFaultAttempts, "4", 1...1000,
               "Attempts when the body is corrupt or truncated (verification failed)."),
        .duration("download_backoff_base", \.downloadBackoffBase, "1s", "First retry delay of a failed download."),
        .duration("download_backoff_cap", \.downloadBackoffCap, "10m", "Longest retry delay of a failed download."),
        .duration("link_lifetime", \.linkLifetime, "24h", "Provider fact: result links expire this long after task creation."),
        .make("verify_dimensions", "true", "true|false",
              "Require a stored image's decoded dimensions to equal the requested size.") { c, text in
            switch ConfigValueParser.boolean(text) {
            case .success(let v): c.verifyDimensions = v; return nil
            case .failure(let m): return m
            }
        },
        .duration("poll_grace", \.pollGrace, "30s",
                  "Poll a task this long after its estimated_time when no callback arrived."),
        .duration("poll_default_estimate", \.pollDefaultEstimate, "30s", "estimated_time assumed when the provider sent none."),
        .duration("poll_backoff_base", \.pollBackoffBase, "5s", "First interval between polls of an overdue task."),
        .duration("poll_backoff_cap", \.pollBackoffCap, "5m", "Longest interval between polls."),
        .duration("poll_give_up", \.pollGiveUp, "48h", "A task unfinished this long after submit is no longer polled."),
        .count("poll_concurrency", \.pollConcurrency, "4", 1...64, "Provider polls in flight at once."),
        .count("submit_max_attempts", \.submitMaxAttempts, "3", 1...20,
               "Provider submit tries (same Idempotency-Key) before the submission is left ambiguous."),
        .duration("submit_retry_base", \.submitRetryBase, "500ms", "Backoff base between submit tries."),
        .duration("ambiguous_resolve_interval", \.ambiguousResolveInterval, "30s",
                  "Background retry interval for ambiguous submits."),
        .count("ambiguous_resolve_concurrency", \.ambiguousResolveConcurrency, "2", 1...16,
               "Ambiguous submits retried at once by their own worker (polling never waits for them)."),
        .duration("ambiguous_give_up_age", \.ambiguousGiveUpAge, "6h",
                  "A submit still unconfirmed this long after it was first sent is given up (state abandoned, 502 submit_unconfirmed on replay): a retry past the provider's idempotency window could bill a second task."),
        .duration("submit_answer_timeout", \.submitAnswerTimeout, "10s",
                  "Longest a submit holds its caller; then 202 (accepted, unconfirmed) and the provider call carries on in the background."),
        .size("submit_max_body_bytes", \.submitMaxBodyBytes, "64KiB", min: 1024,
              "Largest submit body (the prompt is at most 2000 tokens); larger -> 413."),
        .count("idempotency_key_max_length", \.idempotencyKeyMaxLength, "255", 16...4096, "Longest Idempotency-Key accepted."),
        .count("retry_after", \.retryAfter, "2", 1...3600, "Seconds sent in Retry-After with 503 (store unavailable) and 409 (in flight)."),
        .duration("relay_timeout", \.relayTimeout, "10s", "Deadline per relay delivery to a submitter."),
        .duration("relay_backoff_base", \.relayBackoffBase, "2s", "First retry delay of a failed relay."),
        .duration("relay_backoff_cap", \.relayBackoffCap, "1h", "Longest retry delay of a failed relay."),
        .duration("relay_retention", \.relayRetention, "36h", min: 86_400,
                  "A relay is given up this long after the task ended (at least 24h)."),
        .duration("relay_lease", \.relayLease, "2m", "A claimed delivery is retried after this if the process died mid-POST."),
        .duration("download_lease", \.downloadLease, "15m",
                  "A running download not finished this long after it was claimed (worker cancelled, state write failed) is claimed again; keep it above download_total_timeout."),
        .count("relay_concurrency", \.relayConcurrency, "4", 1...64, "Relay deliveries in flight at once."),
        .networks("relay_allow_networks", \.relayAllowNetworks, "",
                  "Private networks relay deliveries may reach (submitters are usually internal)."),
        .proxy("relay_proxy", \.relayProxy,
               "Proxy for relay deliveries. Empty: direct. Through it the daemon still resolves and checks every target and tunnels to the checked address."),
        .make("image_base_url", "", "http(s) URL or empty",
              "Base of image URLs in relayed and queried tasks (the internal listener as callers reach it). Empty: root-relative /v1/images/...") { c, text in
            if text.isEmpty { c.imageBaseURL = ""; return nil }
            switch ConfigValueParser.url(text, schemes: ["https", "http"]) {
            case .success(let u): c.imageBaseURL = u; return nil
            case .failure(let m): return m
            }
        },
        .count("list_default_limit", \.listDefaultLimit, "50", 1...10_000, "Tasks per page of GET /v1/tasks by default."),
        .count("list_max_limit", \.listMaxLimit, "500", 1...10_000, "Most tasks per page of GET /v1/tasks."),
        .duration("scheduler_idle", \.schedulerIdle, "1s", "Longest sleep of a background loop between scans."),
        .count("store_readers", \.storeReaders, "4", 1...64, "SQLite read connections."),
        .count("store_max_pending_writes", \.storeMaxPendingWrites, "10000", 16...1_000_000,
               "Writes waiting for the single writer at most; beyond it requests get 503 with Retry-After."),
        .size("readyz_min_free_bytes", \.readyzMinFreeBytes, "1GiB", min: 0, reloadable: true,
              "/readyz fails when data_dir has less free space than this."),
        .make("trusted_proxy_header", "", "X-Real-IP|X-Forwarded-For|empty", reloadable: true,
              "Header carrying the client address, believed only from trusted_proxies.") { c, text in
            switch text.lowercased() {
            case "": c.trustedProxyHeader = nil
            case "x-real-ip": c.trustedProxyHeader = "X-Real-IP"
            case "x-forwarded-for": c.trustedProxyHeader = "X-Forwarded-For"
            default: return .init("expected X-Real-IP, X-Forwarded-For or empty, got `\(text)`")
            }
            return nil
        },
        .networks("trusted_proxies", \.trustedProxies, "127.0.0.1/32,::1/128", reloadable: true,
                  "Peers whose trusted_proxy_header is believed."),
        .optionalPath("extra_ca_file", \.extraCAFile,
                      "PEM bundle trusted in addition to the system CAs (provider, downloads, relay)."),
        .listen("simulator_listen", \.simulatorListen, "127.0.0.1:0",
                "Simulator mode only: where the embedded provider simulator listens (port 0 = any)."),
        .make("simulator_time_scale", "1", "factor, 0.01...100",
              "Simulator mode only: multiplies the simulated task lifecycle (2 s pending + 8 s processing).") { c, text in
            guard let v = Double(text), v >= 0.01, v <= 100 else { return .init("expected a number in 0.01...100, got `\(text)`") }
            c.simulatorTimeScale = v
            return nil
        },
    ]

    public static func key(named name: String) -> ConfigKey? {
        keys.first { $0.name == name }
    }
}
