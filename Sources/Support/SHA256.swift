/// One-shot SHA-256 helpers (OpenSSL EVP underneath).
public enum SHA256 {
    public static func digest(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        let hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    public static func digest(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { digest($0) }
    }

    public static func digest(_ string: String) -> [UInt8] {
        digest(Array(string.utf8))
    }

    /// Lower-case hex, the form used in stored image names.
    public static func hex(_ bytes: [UInt8]) -> String {
        Hex.encode(digest(bytes))
    }

    public static func hex(_ string: String) -> String {
        Hex.encode(digest(string))
    }
}
