import Foundation
import ImageHook
import Logging

/// The service as `imagehookd serve` runs it, in this process, on a fresh data directory
/// that is removed afterwards. Logging is at `error` so log lines cost nothing measurable.
struct BenchService {
    let service: ImageHookService
    let directory: String

    init(downloadWorkers: Int, fetcher: any ImageFetcher, maxImageBytes: Int? = nil) throws {
        directory = NSTemporaryDirectory() + "imagehook-bench-" + UUID().uuidString
        var config = ServiceConfiguration(publicURL: "http://127.0.0.1:1", dataDirectory: directory)
        config.downloadWorkers = downloadWorkers
        // Seeded tasks are never polled: they are final or get their callback.
        config.pollGiveUpAfter = 1
        if let maxImageBytes { config.maxImageBytes = maxImageBytes }
        service = try ImageHookService(configuration: config, logger: Self.logger, provider: NoProvider(),
                                       fetcher: fetcher, relaySender: NoRelay())
    }

    static var logger: Logger {
        var logger = Logger(label: "imagehook-bench")
        logger.logLevel = .error
        return logger
    }

    /// Stops the service and deletes its data.
    func tearDown() async {
        await service.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
