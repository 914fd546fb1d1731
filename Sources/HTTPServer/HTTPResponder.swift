import Support
/// Delivers a handler's response to its connection. One-shot: the first `send` counts,
/// later ones are ignored. Callable from any thread or task; it hops onto the
/// connection's queue.
public struct HTTPResponder: Sendable {
    private enum Target: Sendable {
        case connection(HTTPConnection, sequence: Int)
        case closure(Locked<(@Sendable (HTTPServerResponse) -> Void)?>)
    }

    private let target: Target

    init(connection: HTTPConnection, sequence: Int) {
        // The connection itself drops a second answer for the same request.
        target = .connection(connection, sequence: sequence)
    }

    /// A responder that hands the (first) response to `deliver`, for testing handlers
    /// without a server.
    public init(_ deliver: @escaping @Sendable (HTTPServerResponse) -> Void) {
        target = .closure(Locked(deliver))
    }

    public func send(_ response: HTTPServerResponse) {
        switch target {
        case .connection(let connection, let sequence):
            connection.deliver(response, sequence: sequence)
        case .closure(let slot):
            let deliver = slot.withLock { deliver -> (@Sendable (HTTPServerResponse) -> Void)? in
                defer { deliver = nil }
                return deliver
            }
            deliver?(response)
        }
    }
}
