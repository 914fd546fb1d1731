import Foundation

/// The settings the request path reads on every request and SIGHUP may replace.
public final class RuntimeSettings: @unchecked Sendable {
    public struct Values: Sendable {
        public var maxBodyBytes: Int
        public var callbackMaxBodyBytes: Int
        public var readyzMinFreeBytes: Int
        public var clientAddress: ClientAddressResolver
        /// Internal tokens removed from internal_tokens_file since start: refused at once
        /// on SIGHUP (the service itself learns tokens only at start).
        public var revokedTokens: [[UInt8]] = []

        public init(_ c: DaemonConfiguration) {
            maxBodyBytes = c.maxBodyBytes
            callbackMaxBodyBytes = c.callbackMaxBodyBytes
            readyzMinFreeBytes = c.readyzMinFreeBytes
            clientAddress = ClientAddressResolver(header: c.trustedProxyHeader, trustedProxies: c.trustedProxies)
        }
    }

    private let lock = NSLock()
    private var values: Values
    private var listenersUp = false

    public init(_ configuration: DaemonConfiguration) { values = Values(configuration) }

    public var current: Values {
        get { lock.withLock { values } }
        set { lock.withLock { values = newValue } }
    }

    public var areListenersUp: Bool {
        get { lock.withLock { listenersUp } }
        set { lock.withLock { listenersUp = newValue } }
    }
}
