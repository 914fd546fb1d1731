/// Delivers a handler's response to its connection. One-shot: the first `send` counts,
/// later ones are ignored (the connection drops a second answer for the same request).
/// Callable from any thread or task; it hops onto the connection's queue.
public struct HTTPResponder: Sendable {
    let connection: HTTPConnection?
    let sequence: Int

    init(connection: HTTPConnection, sequence: Int) {
        self.connection = connection
        self.sequence = sequence
    }

    public func send(_ response: HTTPServerResponse) {
        connection?.deliver(response, sequence: sequence)
    }
}
