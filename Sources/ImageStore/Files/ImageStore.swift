import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// Content-addressed image files under `root`: downloads are written to `tmp/`,
/// verified, then moved to `images/<sha[0:2]>/<sha>.<ext>`. A visible image file is
/// always complete (fsync before rename, rename is atomic, fsync of the directory
/// after), and identical content is stored once.
public final class ImageStore: Sendable {
    public let root: String
    public let imagesDirectory: String
    public let temporaryDirectory: String
    public let configuration: ImageStoreConfiguration

    /// Creates root, images/ and tmp/ (mode 0750 by default) when missing.
    public init(root: String, configuration: ImageStoreConfiguration = ImageStoreConfiguration()) throws(ImageStoreError) {
        let trimmed = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.root = trimmed
        imagesDirectory = trimmed + "/images"
        temporaryDirectory = trimmed + "/tmp"
        self.configuration = configuration
        let mode = mode_t(configuration.directoryMode)
        for directory in [trimmed, imagesDirectory, temporaryDirectory] {
            if try POSIX.makeDirectory(directory, mode: mode) {
                try POSIX.syncDirectory(directory == trimmed ? parent(of: trimmed) : trimmed)
            }
        }
    }

    // MARK: writing

    /// A fresh temp file in tmp/ (O_CREAT|O_EXCL|O_CLOEXEC, unique random name).
    public func makeWriter(maxBytes: Int? = nil) throws(ImageStoreError) -> ImageWriter {
        for _ in 0..<16 {
            let path = "\(temporaryDirectory)/\(randomName()).part"
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(configuration.fileMode))
            if fd >= 0 {
                // The configured mode exactly, whatever the umask: stored files keep it.
                guard fchmod(fd, mode_t(configuration.fileMode)) == 0 else {
                    let failure = POSIX.error("fchmod", path)
                    close(fd)
                    unlink(path)
                    throw failure
                }
                return ImageWriter(fd: fd, temporaryPath: path, maxBytes: maxBytes ?? configuration.maxImageBytes)
            }
            if errno != EEXIST { throw POSIX.error("create", path) }
        }
        throw POSIX.error("create", temporaryDirectory, EEXIST)
    }

    /// Verifies the writer's file (hashing already done while writing).
    public func verify(_ writer: ImageWriter, contentType: String?, expectedWidth: Int? = nil,
                       expectedHeight: Int? = nil, expectedLength: Int? = nil,
                       limits: ImageVerificationLimits = ImageVerificationLimits())
        throws(ImageVerificationError) -> ImageInfo {
        let digest: String
        do throws(ImageStoreError) { digest = try writer.finish() } catch { throw .io(error.description) }
        return try ImageVerifier.verify(file: writer.temporaryPath, sha256: digest, contentType: contentType,
                                        expectedWidth: expectedWidth, expectedHeight: expectedHeight,
                                        expectedLength: expectedLength, limits: limits)
    }

    /// Makes the writer's file a stored image: fsync it, and unless the same content is
    /// already stored, rename it into its shard and fsync the shard directory (and
    /// images/ when the shard was created). The temp file is gone afterwards either way.
    public func commit(_ writer: ImageWriter, format: ImageFormat) throws(ImageStoreError) -> StoredImage {
        let sealed: (sha256: String, bytes: Int)
        do throws(ImageStoreError) {
            sealed = try writer.seal()
        } catch {
            writer.abandon()
            throw error
        }
        let ext = format.fileExtension
        let shard = "\(imagesDirectory)/\(sealed.sha256.prefix(2))"
        let path = "\(shard)/\(sealed.sha256).\(ext)"
        if POSIX.exists(path) {
            unlink(writer.temporaryPath)
            return StoredImage(sha256: sealed.sha256, ext: ext, path: path, bytes: sealed.bytes, alreadyExisted: true)
        }
        do throws(ImageStoreError) {
            if try POSIX.makeDirectory(shard, mode: mode_t(configuration.directoryMode)) {
                try POSIX.syncDirectory(imagesDirectory)
            }
            guard rename(writer.temporaryPath, path) == 0 else { throw POSIX.error("rename", path) }
        } catch {
            unlink(writer.temporaryPath)
            throw error
        }
        // The rename is durable only once the directory entry is on disk.
        try POSIX.syncDirectory(shard)
        return StoredImage(sha256: sealed.sha256, ext: ext, path: path, bytes: sealed.bytes, alreadyExisted: false)
    }

    /// Drops a download: closes and deletes its temp file.
    public func discard(_ writer: ImageWriter) {
        writer.abandon()
    }

    /// Deletes everything in tmp/ (partial downloads of a previous run). Call at start-up
    /// only, before any writer exists. Returns how many entries were removed.
    @discardableResult
    public func cleanTemp() throws(ImageStoreError) -> Int {
        var removed = 0
        for name in try POSIX.list(temporaryDirectory) {
            let path = "\(temporaryDirectory)/\(name)"
            guard unlink(path) == 0 else { throw POSIX.error("unlink", path) }
            removed += 1
        }
        return removed
    }

    // MARK: lookup

    /// `images/<sha[0:2]>/<sha>.<ext>`, or nil unless `sha256` is 64 lower-case hex and
    /// `ext` a stored extension (png, jpg, webp): names from URLs never escape images/.
    public func path(forSHA256 sha256: String, ext: String) -> String? {
        guard Hex.isLowercaseHex(sha256, length: 64),
              let format = ImageFormat(fileExtension: ext), format.fileExtension == ext else { return nil }
        return "\(imagesDirectory)/\(sha256.prefix(2))/\(sha256).\(ext)"
    }

    public func exists(sha256: String, ext: String) -> Bool {
        guard let path = path(forSHA256: sha256, ext: ext) else { return false }
        return POSIX.exists(path)
    }

    /// Size in bytes of a stored image, nil when it is not stored.
    public func size(ofSHA256 sha256: String, ext: String) -> Int? {
        guard let path = path(forSHA256: sha256, ext: ext) else { return nil }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    // MARK: helpers

    private func randomName() -> String {
        var bytes = [UInt8](repeating: 0, count: 12)
        if RAND_bytes(&bytes, Int32(bytes.count)) != 1 {
            // Uniqueness, not secrecy, matters here; O_EXCL catches any collision.
            var clock = timespec()
            clock_gettime(CLOCK_REALTIME, &clock)
            bytes = PNGEncoder.bigEndian(UInt32(truncatingIfNeeded: clock.tv_nsec))
                + PNGEncoder.bigEndian(UInt32(truncatingIfNeeded: getpid()))
        }
        return "dl-" + Hex.encode(bytes)
    }

    private func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
