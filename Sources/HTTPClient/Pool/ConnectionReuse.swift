/// Whether a connection may go back to the pool after a response: a pure decision over
/// what the exchange observed, so every rule is testable without sockets.
enum ConnectionReuse {
    struct Observation: Equatable {
        var poolingEnabled: Bool
        /// The response was read to its end (`.end` event).
        var responseComplete: Bool
        /// Both sides intend to persist (RFC 9112 §9.3).
        var responseKeepAlive: Bool
        /// The body was delimited by the connection closing (§6.3 rule 8).
        var bodyUntilClose: Bool
        /// Bytes beyond the response were already received (unsolicited data).
        var leftoverBytes: Bool
        var status: Int
    }

    static func decide(_ o: Observation) -> Bool {
        o.poolingEnabled && o.responseComplete && o.responseKeepAlive && !o.bodyUntilClose
            && !o.leftoverBytes && o.status != 101
    }

    /// A failed attempt on a reused connection is repeated once on a fresh one only if
    /// nothing of the response arrived (the server likely closed the idle connection
    /// as we wrote, RFC 9112 §9.3.1) and the method is idempotent (RFC 9110 §9.2.2).
    static func mayRetry(reusedConnection: Bool, receivedResponseBytes: Bool,
                         idempotent: Bool, attempt: Int, error: HTTPClientError) -> Bool {
        guard reusedConnection, !receivedResponseBytes, idempotent, attempt == 0 else { return false }
        switch error {
        case .io, .truncated: return true
        default: return false
        }
    }
}
