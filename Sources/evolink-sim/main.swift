import ArgumentParser
import Dispatch
import EvoLinkSim
import Foundation
import Logging

/// `evolink-sim`: a local, faithful copy of EvoLink's async image API for development
/// and tests. Prints `listening HOST:PORT` as its first stdout line; logs to stderr.
struct EvoLinkSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evolink-sim",
        abstract: "Simulates EvoLink's wan2.5-text-to-image API: tasks, callbacks, result images, faults.",
        discussion: """
        Control endpoint (no auth; bind to loopback): GET /_sim/stats, GET|POST /_sim/faults, POST /_sim/reset.
        """)

    @Option(help: "Address to listen on; port 0 picks a free port.")
    var listen = "127.0.0.1:8089"
    @Option(name: .customLong("api-key"), help: "A valid API key allowed the model (repeatable). None: any bearer token is accepted.")
    var apiKeys: [String] = []
    @Option(name: .customLong("restricted-key"), help: "A valid API key NOT allowed the model: submits get 403 (repeatable).")
    var restrictedKeys: [String] = []
    @Option(help: "Credits per key; a submit reserves n (402 insufficient_quota when exhausted).")
    var quota: Double?
    @Option(help: "API requests per key per --rate-window (429 with Retry-After beyond).")
    var rateLimit: Int?
    @Option(help: "Rate-limit window in seconds.")
    var rateWindow: Double = 60
    @Option(help: "Multiplies every simulated duration (lifecycle, callback retry gaps, delays).")
    var timeScale: Double = 1
    @Option(help: "Seconds a task stays pending.")
    var pendingSeconds: Double = 2
    @Option(help: "Seconds a task stays processing.")
    var processingSeconds: Double = 8
    @Option(help: "Progress reported when processing starts.")
    var progressStart = 10
    @Option(help: "Progress reported just before processing ends.")
    var progressEnd = 90
    @Option(help: "JSON file shaped like the POST /_sim/faults body, applied at start (rates, next_tasks, next_api_statuses).")
    var faultsFile: String?
    @Option(help: "task_info.estimated_time reported on new tasks (default: the scaled lifecycle).")
    var estimatedTime: Int?
    @Option(help: "Seconds result links stay valid (not scaled).")
    var resultTTL: Double = 24 * 3600
    @Option(help: "Status of an expired result link: 403, 404 or 410.")
    var expiredStatus: Int = 403
    @Option(help: "Base URL of result links (default http://<listen address>).")
    var publicBaseURL: String?
    @Option(help: "Callback timeout in seconds.")
    var callbackTimeout: Double = 10
    @Option(help: "Gaps between callback retries in seconds, comma-separated.")
    var callbackRetryDelays = "1,2,4"
    @Flag(help: "LOCAL DEVELOPMENT ONLY: allow http callback URLs and loopback/private hosts.")
    var allowInsecureCallbacks = false
    @Option(help: "PEM file of extra CAs trusted for HTTPS callbacks.")
    var callbackCAFile: String?
    @Flag(inversion: .prefixedNo, help: "Honour [sim:...] fault directives in prompts.")
    var promptDirectives = true
    @Option(help: "Seed for the fault dice.")
    var seed: UInt64 = 0x5EED
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    @Option(help: "Fault rate: drop callbacks.") var dropCallbackRate: Double = 0
    @Option(help: "Fault rate: duplicate callbacks.") var duplicateCallbackRate: Double = 0
    @Option(help: "Fault rate: stale processing callback after the terminal one.") var staleCallbackRate: Double = 0
    @Option(help: "Fault rate: late callbacks.") var lateCallbackRate: Double = 0
    @Option(help: "Seconds a late callback is held back.") var lateCallbackDelay: Double = 5
    @Option(help: "Fault rate: fail tasks.") var failTaskRate: Double = 0
    @Option(help: "Error codes failed tasks pick from, comma-separated.")
    var failCodes = "content_policy_violation,generation_failed_no_content,service_error,generation_timeout"
    @Option(help: "Fault rate: cancel tasks.") var cancelTaskRate: Double = 0
    @Option(help: "Fault rate: one result fewer than n.") var fewerResultsRate: Double = 0
    @Option(help: "Fault rate: image link answers 503.") var imageServerErrorRate: Double = 0
    @Option(help: "Fault rate: image link answers 403.") var imageForbiddenRate: Double = 0
    @Option(help: "Fault rate: image link answers slowly.") var imageSlowRate: Double = 0
    @Option(help: "Fault rate: truncated PNG.") var imageTruncatedRate: Double = 0
    @Option(help: "Fault rate: wrong Content-Type.") var imageWrongContentTypeRate: Double = 0
    @Option(help: "Fault rate: corrupt PNG (bad CRC).") var imageCorruptRate: Double = 0
    @Option(help: "Seconds a slow image waits.") var slowImageDelay: Double = 5
    @Option(help: "Fault rate: API answers 500.") var apiServerErrorRate: Double = 0
    @Option(help: "Fault rate: API answers 429.") var apiRateLimitRate: Double = 0
    @Option(help: "Retry-After seconds on 429s.") var retryAfter: Int = 1

    func validate() throws {
        guard [403, 404, 410].contains(expiredStatus) else { throw ValidationError("--expired-status must be 403, 404 or 410") }
        guard (0...100).contains(progressStart), (progressStart...100).contains(progressEnd) else {
            throw ValidationError("progress must satisfy 0 <= --progress-start <= --progress-end <= 100")
        }
        let rates = [dropCallbackRate, duplicateCallbackRate, staleCallbackRate, lateCallbackRate, failTaskRate,
                     cancelTaskRate, fewerResultsRate, imageServerErrorRate, imageForbiddenRate, imageSlowRate,
                     imageTruncatedRate, imageWrongContentTypeRate, imageCorruptRate, apiServerErrorRate, apiRateLimitRate]
        guard rates.allSatisfy({ (0...1).contains($0) }) else { throw ValidationError("fault rates must be within [0, 1]") }
        guard timeScale >= 0 else { throw ValidationError("--time-scale must be >= 0") }
        guard retryDelays != nil else { throw ValidationError("--callback-retry-delays must be numbers, e.g. 1,2,4") }
    }

    var retryDelays: [Double]? {
        let parts = callbackRetryDelays.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        return parts.contains(nil) ? nil : parts.compactMap { $0 }
    }

    func simulatorConfiguration() -> SimulatorConfiguration {
        var keys: [String: APIKeyPolicy] = [:]
        for k in apiKeys { keys[k] = APIKeyPolicy(modelAllowed: true, quota: quota, rateLimit: rateLimit, rateWindow: rateWindow) }
        for k in restrictedKeys { keys[k] = APIKeyPolicy(modelAllowed: false, quota: quota, rateLimit: rateLimit, rateWindow: rateWindow) }
        var f = FaultRates()
        f.dropCallback = dropCallbackRate
        f.duplicateCallback = duplicateCallbackRate
        f.staleCallback = staleCallbackRate
        f.lateCallback = lateCallbackRate
        f.lateCallbackDelay = lateCallbackDelay
        f.failTask = failTaskRate
        f.failCodes = failCodes.split(separator: ",").map(String.init)
        f.cancelTask = cancelTaskRate
        f.fewerResults = fewerResultsRate
        f.imageServerError = imageServerErrorRate
        f.imageForbidden = imageForbiddenRate
        f.imageSlow = imageSlowRate
        f.imageTruncated = imageTruncatedRate
        f.imageWrongContentType = imageWrongContentTypeRate
        f.imageCorrupt = imageCorruptRate
        f.slowImageDelay = slowImageDelay
        f.apiServerError = apiServerErrorRate
        f.apiRateLimit = apiRateLimitRate
        f.retryAfter = retryAfter
        return SimulatorConfiguration(
            keys: keys, timeScale: timeScale, pendingSeconds: pendingSeconds, processingSeconds: processingSeconds,
            progressRange: progressStart...progressEnd,
            estimatedTime: estimatedTime, resultTTL: resultTTL, expiredLinkStatus: expiredStatus,
            publicBaseURL: publicBaseURL, callbackTimeout: callbackTimeout,
            callbackRetryDelays: retryDelays ?? [1, 2, 4], callbackCAFile: callbackCAFile,
            allowInsecureCallbacks: allowInsecureCallbacks, faults: f, promptDirectives: promptDirectives,
            randomSeed: seed,
            // Without explicit keys every bearer token is accepted; the quota and rate
            // flags then apply per token through the default policy.
            defaultKeyPolicy: APIKeyPolicy(modelAllowed: true, quota: quota, rateLimit: rateLimit, rateWindow: rateWindow))
    }

    mutating func run() async throws { try await serve() }

    func serve() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "evolink-sim")
        let sim = Simulator(configuration: simulatorConfiguration(), logger: logger)
        if let faultsFile {
            let data = try Data(contentsOf: URL(fileURLWithPath: faultsFile))
            try sim.applyFaults(try JSONDecoder().decode(FaultUpdate.self, from: data))
        }
        try sim.start(address: listen)
        // First stdout line, read by scripts and tests to learn the bound port.
        FileHandle.standardOutput.write(Data("listening \(sim.boundAddress)\n".utf8))
        if allowInsecureCallbacks {
            logger.warning("insecure callbacks allowed: http and internal hosts will be called (local development only)")
        }
        await TerminationSignal.wait()
        logger.info("shutting down")
        await sim.stop()
    }
}

do {
    let command = try EvoLinkSimCommand.parse()
    try await command.serve()
} catch {
    EvoLinkSimCommand.exit(withError: error)
}
