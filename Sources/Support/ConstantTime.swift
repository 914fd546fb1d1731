import COpenSSL

/// Comparison whose running time does not depend on where the inputs differ, so a
/// secret (callback token, signature, internal token) cannot be guessed byte by byte
/// from answer times. OpenSSL's CRYPTO_memcmp is written so the compiler cannot turn it
/// into an early-exit loop. The length itself is not secret.
public enum ConstantTime {
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, a.count) == 0 }
        }
    }

    public static func equals(_ a: String, _ b: String) -> Bool {
        equals(Array(a.utf8), Array(b.utf8))
    }
}
