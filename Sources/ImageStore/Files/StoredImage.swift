/// A committed image file, named by its content.
public struct StoredImage: Sendable, Hashable {
    /// Lower-case hex SHA-256 of the file.
    public let sha256: String
    /// File extension: png, jpg or webp.
    public let ext: String
    /// Absolute or root-relative path `<root>/images/<sha[0:2]>/<sha>.<ext>`.
    public let path: String
    public let bytes: Int
    /// True when the same content was stored before; the new copy was dropped.
    public let alreadyExisted: Bool

    public init(sha256: String, ext: String, path: String, bytes: Int, alreadyExisted: Bool) {
        self.sha256 = sha256
        self.ext = ext
        self.path = path
        self.bytes = bytes
        self.alreadyExisted = alreadyExisted
    }

    /// The public file name, `<sha>.<ext>`.
    public var fileName: String { "\(sha256).\(ext)" }
}
