import Support
/// Signs relay deliveries the Standard Webhooks way: headers `webhook-id`,
/// `webhook-timestamp` (unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256>`
/// over `"<id>.<timestamp>.<body>"`. A secret written `whsec_<base64>` is the base64 of
/// the key; any other string is used as raw key bytes.
public struct WebhookSigner: Sendable {
    private let key: [UInt8]

    public init(secret: String) {
        if secret.hasPrefix("whsec_"), let decoded = Base64.decode(String(secret.dropFirst(6))) {
            key = decoded
        } else {
            key = Array(secret.utf8)
        }
    }

    public func signature(id: String, timestamp: Int, body: [UInt8]) -> String {
        var message = Array("\(id).\(timestamp).".utf8)
        message.append(contentsOf: body)
        return "v1," + Base64.encode(Crypto.hmacSHA256(key: key, message: message))
    }

    /// The three headers for one delivery attempt. The id stays the same across
    /// attempts so the receiver can deduplicate; the timestamp is the attempt's.
    public func headers(id: String, timestamp: Int, body: [UInt8]) -> [(String, String)] {
        [("webhook-id", id), ("webhook-timestamp", String(timestamp)),
         ("webhook-signature", signature(id: id, timestamp: timestamp, body: body))]
    }

    /// Verifies a `webhook-signature` header (space-separated list of `v1,<sig>`).
    public func verify(id: String, timestamp: Int, body: [UInt8], header: String) -> Bool {
        let expected = Array(signature(id: id, timestamp: timestamp, body: body).utf8)
        return header.split(separator: " ").contains { ConstantTime.equals(Array($0.utf8), expected) }
    }
}
