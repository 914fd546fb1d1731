/// Receives one typed record per answered request, so a caller can keep request metrics
/// (or its own access log) without parsing log metadata. Called on the connection's
/// serial queue right after the response is encoded: implementations must be quick and
/// must not block (take a short lock at most).
public protocol HTTPServerObserver: Sendable {
    func requestCompleted(_ record: HTTPRequestRecord)
}
