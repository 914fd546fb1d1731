import HTTPClient

/// Everything a provider call can end in besides success, typed by what the caller
/// must do about it (PROVIDER.md, Errors: 400/401/402/403/429/500 and 404
/// `task_not_found`, 400 `invalid_task_id`).
public enum EvoLinkError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Refused locally before sending: the request breaks the rules in PROVIDER.md.
    case invalidRequest(ValidationError)
    /// Refused locally: not a `task-unified-` id, so it must not go into a URL path.
    case invalidTaskID(String)
    /// 400: the provider refused the parameters.
    case badRequest(ProviderErrorInfo)
    /// 401: missing, invalid or expired API key.
    case unauthorized(ProviderErrorInfo)
    /// 402: quota exhausted; top up.
    case insufficientQuota(ProviderErrorInfo)
    /// 403: the key may not use this model (or this task).
    case forbidden(ProviderErrorInfo)
    /// 404: no such task.
    case notFound(ProviderErrorInfo)
    /// 409 / 422: the Idempotency-Key was reused with a different body.
    case idempotencyConflict(ProviderErrorInfo)
    /// 429: slow down; `retryAfter` seconds from `Retry-After` when sent.
    case rateLimited(ProviderErrorInfo, retryAfter: Double?)
    /// 5xx: the provider failed; `retryAfter` when a 503 carried one.
    case serverError(ProviderErrorInfo, retryAfter: Double?)
    /// Any other non-2xx status.
    case unexpectedStatus(ProviderErrorInfo)
    /// A 2xx whose body is not the documented task shape.
    case malformedResponse(status: Int, reason: String, raw: [UInt8])
    /// The exchange failed. `ambiguous` is true when the request may have reached the
    /// provider (a timeout or cut after sending): a submit must then be retried only
    /// with the same Idempotency-Key, never as a fresh request, or it may be charged
    /// twice (PROVIDER.md, Submit).
    case network(HTTPClientError, ambiguous: Bool)

    /// Whether the same call may succeed later unchanged.
    public var isRetryable: Bool {
        switch self {
        case .rateLimited, .serverError: true
        case .network(let e, _): e.isRetryable
        case .unexpectedStatus(let info): info.status == 408
        case .invalidRequest, .invalidTaskID, .badRequest, .unauthorized, .insufficientQuota,
             .forbidden, .notFound, .idempotencyConflict, .malformedResponse: false
        }
    }

    /// Seconds the provider asked us to wait, when it said.
    public var retryAfter: Double? {
        switch self {
        case .rateLimited(_, let s), .serverError(_, let s): s
        default: nil
        }
    }

    /// Whether the provider may have acted on the request (and, for a submit, charged).
    public var mayHaveBeenSent: Bool {
        switch self {
        case .invalidRequest, .invalidTaskID: false
        case .network(_, let ambiguous): ambiguous
        default: true
        }
    }

    /// The provider's own account of the error, when it answered.
    public var providerInfo: ProviderErrorInfo? {
        switch self {
        case .badRequest(let i), .unauthorized(let i), .insufficientQuota(let i), .forbidden(let i),
             .notFound(let i), .idempotencyConflict(let i), .unexpectedStatus(let i): i
        case .rateLimited(let i, _), .serverError(let i, _): i
        case .invalidRequest, .invalidTaskID, .malformedResponse, .network: nil
        }
    }

    /// Maps a non-2xx response to its case.
    static func from(status: Int, body: [UInt8], requestID: String?,
                     retryAfter: Double?) -> EvoLinkError {
        let info = ProviderErrorInfo(status: status, body: body, requestID: requestID)
        switch status {
        case 400: return .badRequest(info)
        case 401: return .unauthorized(info)
        case 402: return .insufficientQuota(info)
        case 403: return .forbidden(info)
        case 404: return .notFound(info)
        case 409, 422: return .idempotencyConflict(info)
        case 429: return .rateLimited(info, retryAfter: retryAfter)
        case 500...599: return .serverError(info, retryAfter: retryAfter)
        default: return .unexpectedStatus(info)
        }
    }

    /// Whether a transport failure happened after the request could have been
    /// delivered. Before the connection (name, policy, connect, TLS) nothing was sent.
    static func isAmbiguous(_ error: HTTPClientError) -> Bool {
        switch error {
        case .dns, .refusedByPolicy, .connect, .tls, .invalidRequest: false
        case .overloaded: false  // refused before any connection was opened
        case .timeout(let phase):
            !["dns", "connect", "tls"].contains(phase)
        case .protocolError, .tooLarge, .truncated, .tooManyRedirects, .io, .sink, .cancelled: true
        }
    }

    public var description: String {
        switch self {
        case .invalidRequest(let e): "request refused before sending: \(e)"
        case .invalidTaskID(let id): "not a task id (must start with task-unified-): \(id.prefix(64))"
        case .badRequest(let i): "provider refused the request: \(i)"
        case .unauthorized(let i): "provider rejected the API key: \(i)"
        case .insufficientQuota(let i): "provider quota exhausted: \(i)"
        case .forbidden(let i): "provider denied access: \(i)"
        case .notFound(let i): "provider has no such task: \(i)"
        case .idempotencyConflict(let i): "Idempotency-Key reused with a different body: \(i)"
        case .rateLimited(let i, let s): "provider rate limit: \(i)" + (s.map { ", retry after \($0) s" } ?? "")
        case .serverError(let i, _): "provider error: \(i)"
        case .unexpectedStatus(let i): "unexpected provider response: \(i)"
        case .malformedResponse(let status, let reason, _): "unreadable provider response (HTTP \(status)): \(reason)"
        case .network(let e, let ambiguous):
            "provider unreachable: \(e)" + (ambiguous ? " (the request may have been received)" : " (nothing was sent)")
        }
    }
}
