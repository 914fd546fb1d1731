import EvoLink
import Logging
import Store
import Support


/// What every component shares: configuration, store, peers, clock, and the little
/// in-memory state (wake-ups, in-flight keys, pre-journal rejects).
final class ServiceContext: Sendable {
    let config: ServiceConfiguration
    let database: Database
    let images: any ImageVault
    let provider: any ProviderAPI
    let fetcher: any ImageFetcher
    let relaySender: any RelaySender
    let clock: any ServiceClock
    let random: any RandomSource
    let logger: Logger
    let tokens: CallbackTokens
    let signer: WebhookSigner?

    let downloadsWakeup = Wakeup()
    let pollsWakeup = Wakeup()
    let relayWakeup = Wakeup()
    /// Wakes the ambiguous-submit resolver (a submit just ended ambiguous).
    let submitsWakeup = Wakeup()
    /// `caller\0key` of submits this process is sending right now (409 for a twin).
    let submitsInFlight = Locked(Set<String>())
    /// Callbacks rejected before journaling (404, 400, 503): counted since start-up.
    let invalidCallbacks = Locked(0)

    init(config: ServiceConfiguration, database: Database, images: any ImageVault, provider: any ProviderAPI,
         fetcher: any ImageFetcher, relaySender: any RelaySender, clock: any ServiceClock,
         random: any RandomSource, logger: Logger, tokens: CallbackTokens) {
        self.config = config
        self.database = database
        self.images = images
        self.provider = provider
        self.fetcher = fetcher
        self.relaySender = relaySender
        self.clock = clock
        self.random = random
        self.logger = logger
        self.tokens = tokens
        self.signer = config.relaySecret.map(WebhookSigner.init(secret:))
    }

    func countInvalidCallback() { invalidCallbacks.withLock { $0 += 1 } }

    /// Wakes whichever loops the applied actions concern.
    func wake(for actions: [TaskAction]) {
        for action in actions {
            switch action {
            case .enqueueDownloads(let urls): downloadsWakeup.signal(waking: urls.count)
            case .scheduleRelay: relayWakeup.signal()
            case .stopPolling: break
            }
        }
    }
}
