import EvoLink
import Foundation
import HTTP1
import HTTPClient
import HTTPServer
import ImageHook
import Logging
import Store
import TestSupport
import Testing

/// Durable callback ingest, driven by `wrk` (a separate process) at 50 concurrent
/// connections against the public listener on 127.0.0.1. Every answer is sent only
/// after its group commit is durable. Prints figures; asserts no timing.
/// Run through `.ci/bench-callbacks` (sets IMAGEHOOK_BENCH).
@Suite struct CallbackIngestBenchmark {
    struct NoProvider: ProviderAPI {
        func submit(_ request: GenerationRequest, idempotencyKey: String) async throws(EvoLinkError) -> (TaskDetail, raw: [UInt8]) {
            throw .network(.connect("benchmark has no provider"), ambiguous: false)
        }
        func task(id: String) async throws(EvoLinkError) -> (TaskDetail, raw: [UInt8]) {
            throw .network(.connect("benchmark has no provider"), ambiguous: false)
        }
    }

    struct NoFetcher: ImageFetcher {
        func fetch(url: String, into sink: any HTTPBodySink & Sendable) async throws(DownloadFailure) -> FetchedImageHead {
            throw .permanent("benchmark fetches nothing")
        }
    }

    struct NoRelay: RelaySender {
        func post(url: String, headers: HTTPHeaders, body: [UInt8]) async -> RelayAttemptResult {
            RelayAttemptResult(status: 200, error: nil)
        }
    }

    static var env: [String: String] { ProcessInfo.processInfo.environment }

    @Test(.enabled(if: env["IMAGEHOOK_BENCH"] != nil, "benchmark: run .ci/bench-callbacks"))
    func durableCallbackIngest() async throws {
        let tasks = Int(Self.env["BENCH_TASKS"] ?? "") ?? 5000
        let seconds = Int(Self.env["BENCH_SECONDS"] ?? "") ?? 10
        let connections = Int(Self.env["BENCH_CONNECTIONS"] ?? "") ?? 50
        let dir = NSTemporaryDirectory() + "imagehook-bench-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        var config = ServiceConfiguration(publicURL: "http://127.0.0.1:1", dataDirectory: dir)
        config.downloadWorkers = 1
        config.pollGiveUpAfter = 1
        let service = try ImageHookService(configuration: config, logger: logger, provider: NoProvider(),
                                           fetcher: NoFetcher(), relaySender: NoRelay())
        try await service.start()
        let tokens = try CallbackTokens.load(path: dir + "/token.key")

        // Known submissions with processing tasks; the callbacks complete them (first
        // one applied, later ones duplicates: every one is journaled durably).
        var lua = "local tokens = {}\nlocal bodies = {}\n"
        let now = Date().timeIntervalSince1970
        var rows: [(SubmissionRecord, TaskRecord)] = []
        for i in 0..<tasks {
            let nonce = tokens.newNonce()
            let token = tokens.token(nonce: nonce)
            let id = "task-unified-1700000000-bench\(i)"
            rows.append((SubmissionRecord(caller: "bench", idempotencyKey: "bench-\(i)", fingerprint: "f",
                                          tokenHash: CallbackTokens.hash(token: token), tokenNonce: nonce, relayURL: nil,
                                          request: Array(#"{"model":"wan2.5-text-to-image","prompt":"p"}"#.utf8),
                                          state: "submitted", taskID: id, createdAt: now, updatedAt: now),
                         TaskRecord(id: id, submissionID: 0, caller: "bench", status: "processing", progress: 10,
                                    created: Int(now), submittedAt: now, updatedAt: now)))
            let body = #"{"created":\#(Int(now)),"id":"\#(id)","model":"wan2.5-text-to-image","object":"image.generation.task","progress":100,"results":[],"status":"completed","type":"image"}"#
            lua += "tokens[\(i + 1)] = \"\(token)\"\nbodies[\(i + 1)] = '\(body)'\n"
        }
        let toInsert = rows
        try await service.database.write { tx in
            for (s, t) in toInsert {
                var task = t
                task.submissionID = try SubmissionRepository.insert(s, in: tx)
                try TaskRepository.save(task, in: tx)
            }
        }
        lua += """
            local n = #tokens
            local headers = { ["Content-Type"] = "application/json" }
            request = function()
              local i = math.random(1, n)
              return wrk.format("POST", "/v1/callbacks/" .. tokens[i], headers, bodies[i])
            end
            done = function(summary, latency, requests)
              local s = summary.duration / 1e6
              io.write(string.format("BENCH accepted_per_s=%.0f requests=%d seconds=%.2f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d connect_err=%d timeouts=%d\\n",
                (summary.requests - summary.errors.status) / s, summary.requests, s,
                latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
                latency.max / 1000, summary.errors.status, summary.errors.connect, summary.errors.timeout))
            end

            """
        let script = dir + "/bench.lua"
        try lua.write(toFile: script, atomically: true, encoding: .utf8)

        let server = HTTPServer(name: "public", configuration: HTTPServerConfiguration(), handler: service.publicHandler,
                                logger: logger)
        try server.start(address: "127.0.0.1:0")
        let before = service.database.writerStatistics
        let wrkPath = Self.env["WRK"] ?? "/usr/bin/wrk"
        let wrkArguments = ["-t2", "-c\(connections)", "-d\(seconds)s", "--timeout", "10s", "-s", script,
                            "http://127.0.0.1:\(server.boundPort)"]
        let wrk = try await offPool {
            try ChildProcess.run(wrkPath, wrkArguments, timeout: Double(seconds) + 60)
        }
        let output = wrk.stdout
        let after = service.database.writerStatistics
        let ledger = try await service.ledger()
        print(output)
        print("BENCH writer_before=\(before) writer_after=\(after)")
        print("BENCH ledger callbacks_received=\(ledger.callbacksReceived) applied=\(ledger.callbacksApplied) duplicate=\(ledger.callbacksDuplicate) balanced=\(ledger.balanced)")
        #expect(wrk.exit == .exited(0))
        #expect(output.contains("BENCH accepted_per_s="))
        #expect(ledger.balanced)
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in server.shutdown(deadline: 2) { c.resume() } }
        await service.shutdown()
    }
}
