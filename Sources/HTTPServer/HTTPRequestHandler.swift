import HTTP1

/// The application side of a server. `handle` is called on the connection's serial
/// queue and must not block it: long work belongs on another queue or task, answering
/// through the responder whenever it is done (pipelined responses are still sent in
/// request order).
public protocol HTTPRequestHandler: Sendable {
    /// Per-route body limit, consulted after the head and before any body byte is read
    /// or 100 Continue is sent.
    func bodyLimit(for head: HTTPRequestHead) -> Int
    func handle(_ request: HTTPServerRequest, responder: HTTPResponder)
}

extension HTTPRequestHandler {
    /// Routes without a special need accept the configured default (1 MiB).
    public func bodyLimit(for head: HTTPRequestHead) -> Int {
        HTTPServerConfiguration.defaultBodyLimit
    }
}
