/// What verification established about an image file.
public struct ImageInfo: Sendable, Hashable {
    public let format: ImageFormat
    public let width: Int
    public let height: Int
    /// File length in bytes.
    public let bytes: Int
    /// Lower-case hex SHA-256 of the whole file.
    public let sha256: String

    public init(format: ImageFormat, width: Int, height: Int, bytes: Int, sha256: String) {
        self.format = format
        self.width = width
        self.height = height
        self.bytes = bytes
        self.sha256 = sha256
    }
}
