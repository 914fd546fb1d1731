/// Why one download attempt failed, classified for the retry decision.
public enum DownloadFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// HTTP status from the image host.
    case httpStatus(Int)
    /// Connect, TLS, DNS, timeout, reset: the network, not the content.
    case transport(String)
    /// Body shorter than Content-Length or cut off mid-stream.
    case truncated
    /// Image bytes fail their checks (bad CRC, inflate error): may be a damaged transfer.
    case corrupt(String)
    /// Magic bytes disagree with Content-Type, or an unsupported type.
    case wrongType(String)
    /// Decoded dimensions differ from the requested size: the provider's answer, final.
    case wrongDimensions(String)
    /// Larger than the configured cap.
    case tooLarge
    /// Our own disk or database failed; not the remote's fault.
    case local(String)
    /// A failure no retry can fix (TLS verification, address policy, bad URL).
    case permanent(String)

    /// Whether another attempt may succeed. 404/403/410 mean the link is gone or never
    /// was ours; 408/425/429 and 5xx are transient. Corrupt or truncated bytes can be a
    /// damaged transfer, so they retry (bounded by `maxCorruptAttempts`); a wrong type or
    /// wrong dimensions describe the image itself and will not change.
    public var isRetryable: Bool {
        switch self {
        case .httpStatus(let s):
            return s == 408 || s == 425 || s == 429 || (500...599).contains(s)
        case .transport, .truncated, .corrupt, .local:
            return true
        case .wrongType, .wrongDimensions, .tooLarge, .permanent:
            return false
        }
    }

    /// Failures about the content itself, retried only a few times.
    public var isContentFault: Bool {
        switch self {
        case .corrupt, .truncated: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .httpStatus(let s): "image host answered HTTP \(s)"
        case .transport(let m): "transport error: \(m)"
        case .truncated: "body truncated"
        case .corrupt(let m): "corrupt image: \(m)"
        case .wrongType(let m): "wrong image type: \(m)"
        case .wrongDimensions(let m): "wrong dimensions: \(m)"
        case .tooLarge: "image larger than the configured cap"
        case .local(let m): "local storage error: \(m)"
        case .permanent(let m): m
        }
    }
}
