#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Tunables of the image store, each with a safe default.
public struct ImageStoreConfiguration: Sendable, Equatable {
    /// Largest image a writer accepts; bigger downloads fail with `.tooLarge`.
    public var maxImageBytes: Int
    /// Mode of root, images/, tmp/ and shard directories (group may read, others not).
    public var directoryMode: UInt32
    /// Mode of stored image files.
    public var fileMode: UInt32

    public init(maxImageBytes: Int = 32 * 1024 * 1024, directoryMode: UInt32 = 0o750, fileMode: UInt32 = 0o640) {
        self.maxImageBytes = maxImageBytes
        self.directoryMode = directoryMode
        self.fileMode = fileMode
    }
}
