import Support

/// The settings the request path reads on every request and SIGHUP may replace.
public final class RuntimeSettings: Sendable {
    public struct Values: Sendable {
        public var maxBodyBytes: Int
        public var callbackMaxBodyBytes: Int
        public var readyzMinFreeBytes: Int
        public var clientAddress: ClientAddressResolver

        public init(_ c: DaemonConfiguration) {
            maxBodyBytes = c.maxBodyBytes
            callbackMaxBodyBytes = c.callbackMaxBodyBytes
            readyzMinFreeBytes = c.readyzMinFreeBytes
            clientAddress = ClientAddressResolver(header: c.trustedProxyHeader, trustedProxies: c.trustedProxies)
        }
    }

    private let values: Locked<Values>
    private let listenersUp = Locked(false)

    public init(_ configuration: DaemonConfiguration) { values = Locked(Values(configuration)) }

    public var current: Values {
        get { values.withLock { $0 } }
        set { values.withLock { $0 = newValue } }
    }

    public var areListenersUp: Bool {
        get { listenersUp.withLock { $0 } }
        set { listenersUp.withLock { $0 = newValue } }
    }
}
