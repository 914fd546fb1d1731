import HTTP1

/// What one relay POST ended in.
public struct RelayAttemptResult: Sendable, Hashable {
    /// The HTTP status, when the submitter answered.
    public var status: Int?
    /// Transport failure text, when it did not.
    public var error: String?

    public init(status: Int?, error: String?) {
        self.status = status
        self.error = error
    }

    /// Standard Webhooks: any 2xx is delivery.
    public var delivered: Bool { status.map { (200...299).contains($0) } ?? false }
}

/// POSTs a signed relay body to a submitter's callback_url.
public protocol RelaySender: Sendable {
    func post(url: String, headers: HTTPHeaders, body: [UInt8]) async -> RelayAttemptResult
}
