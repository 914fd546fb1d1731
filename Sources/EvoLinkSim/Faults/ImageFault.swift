/// How a result link misbehaves when downloaded.
public enum ImageFault: String, Sendable, Hashable, Codable, CaseIterable {
    /// 503 with an error page instead of the image.
    case serverError = "server_error"
    /// 403 as an expired or revoked signed link.
    case forbidden
    /// The full image, but only after `FaultRates.slowImageDelay` (scaled).
    case slow
    /// The PNG cut short: the body ends mid-IDAT with no IEND.
    case truncated
    /// A valid PNG labelled `text/html`.
    case wrongContentType = "wrong_content_type"
    /// A PNG whose IDAT bytes are flipped: its CRC no longer matches.
    case corrupt
    /// Transport-level truncation: the full Content-Length is announced, half the body
    /// sent, then the connection closes. Per task only (its result URLs point at a
    /// separate listener); as a per-download rate use `truncated`.
    case cutConnection = "cut_connection"
}
