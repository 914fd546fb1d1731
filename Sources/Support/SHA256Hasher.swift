import COpenSSL

/// Incremental SHA-256 over OpenSSL's EVP interface. Not thread-safe; the owner
/// serializes updates.
public final class SHA256Hasher {
    private let context: OpaquePointer?
    private var finished: [UInt8]?

    public init() {
        context = EVP_MD_CTX_new()
        // Init cannot fail for a built-in digest short of allocation failure, which
        // `update`/`finalize` then surface as an all-zero digest mismatch, never a crash.
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard finished == nil, let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    /// The 32-byte digest; later calls return the same value.
    public func finalize() -> [UInt8] {
        if let finished { return finished }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        let result = Array(digest.prefix(Int(length)))
        finished = result
        return result
    }
}
