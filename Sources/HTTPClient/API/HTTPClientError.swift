/// Everything that can go wrong with an outbound request, typed so that callers can
/// decide what to retry without parsing messages.
public enum HTTPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Name resolution failed (getaddrinfo error text).
    case dns(String)
    /// The address policy refused the target (before any connection was attempted).
    case refusedByPolicy(String)
    /// The TCP connection could not be established.
    case connect(String)
    /// TLS failed; for certificate verification the reason starts with
    /// "certificate expired", "hostname mismatch" or "unknown issuer".
    case tls(String)
    /// A deadline passed. `phase` is one of `HTTPClientTimeouts.Phase` raw values:
    /// "dns", "connect", "tls", "firstByte", "idle", "total".
    case timeout(phase: String)
    /// The peer broke HTTP/1.1 framing or syntax, or the proxy refused the tunnel.
    case protocolError(String)
    /// The (decoded) body exceeded the configured maximum; reading stopped there.
    case tooLarge
    /// The connection ended before the message did (short Content-Length or chunked
    /// body, or a TLS stream cut without close_notify on an until-close body).
    case truncated
    /// More redirects than `maxRedirects`.
    case tooManyRedirects(Int)
    /// The URL or the request itself is unusable (bad scheme, header injection...).
    case invalidRequest(String)
    /// Reading or writing the socket failed after the connection was established.
    case io(String)
    /// The body sink threw; its error text.
    case sink(String)
    /// The calling task was cancelled.
    case cancelled
    /// Refused at once: every outbound worker (or lookup slot) is busy and the queue
    /// behind them is full (`HTTPClientConfiguration.maxConcurrentRequests` and friends).
    case overloaded(String)

    /// Whether repeating the same request later may succeed. Policy, TLS verification,
    /// size and request errors are permanent; network trouble is transient.
    public var isRetryable: Bool {
        switch self {
        case .dns, .connect, .timeout, .truncated, .io, .overloaded: true
        case .protocolError: true  // a broken proxy or server restart mid-response
        case .refusedByPolicy, .tls, .tooLarge, .tooManyRedirects, .invalidRequest, .sink,
             .cancelled: false
        }
    }

    public var description: String {
        switch self {
        case .dns(let why): "name resolution failed: \(why)"
        case .refusedByPolicy(let why): "refused by address policy: \(why)"
        case .connect(let why): "connection failed: \(why)"
        case .tls(let why): "TLS failed: \(why)"
        case .timeout(let phase): "timed out (\(phase))"
        case .protocolError(let why): "HTTP protocol error: \(why)"
        case .tooLarge: "response body larger than the configured maximum"
        case .truncated: "connection closed before the response was complete"
        case .tooManyRedirects(let n): "more than \(n) redirects"
        case .invalidRequest(let why): "invalid request: \(why)"
        case .io(let why): "I/O error: \(why)"
        case .sink(let why): "body sink failed: \(why)"
        case .cancelled: "request cancelled"
        case .overloaded(let why): "overloaded: \(why)"
        }
    }
}
