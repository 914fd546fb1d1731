import Foundation
import Support

/// Callback tokens: 128 bits, derived as HMAC-SHA256(key, nonce) truncated, where the
/// nonce is random per submission and stored, and the key lives in a file outside the
/// database. The database alone (a backup, a leaked copy) cannot forge a callback, yet
/// an ambiguous submit can be retried with the very same callback URL.
public struct CallbackTokens: Sendable {
    private let key: [UInt8]
    /// Token length in bytes: 128 bits (issue: a fresh 128-bit random token).
    public static let tokenBytes = 16

    public init(key: [UInt8]) { self.key = key }

    /// Loads `path`, creating it with a fresh random key (mode 0600) when absent.
    public static func load(path: String) throws(ServiceError) -> CallbackTokens {
        if let data = FileManager.default.contents(atPath: path), data.count >= 32 {
            return CallbackTokens(key: Array(data))
        }
        let key = Crypto.randomBytes(32)
        guard FileManager.default.createFile(atPath: path, contents: Data(key),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw .startup("cannot write token key file \(path)")
        }
        return CallbackTokens(key: key)
    }

    public func newNonce() -> [UInt8] { Crypto.randomBytes(16) }

    /// The URL-safe token for a nonce.
    public func token(nonce: [UInt8]) -> String {
        Base64.urlEncode(Array(Crypto.hmacSHA256(key: key, message: nonce).prefix(Self.tokenBytes)))
    }

    /// What the database stores and is searched by.
    public static func hash(token: String) -> [UInt8] { SHA256.digest(Array(token.utf8)) }

    /// Cheap shape check before any lookup: base64url, the length a token has.
    public static func isWellFormed(_ token: Substring) -> Bool {
        token.utf8.count == 22 && token.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F
        }
    }
}
