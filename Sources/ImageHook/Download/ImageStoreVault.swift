import HTTPClient
import ImageStore

/// `ImageVault` over the real `ImageStore` (`<data_dir>/images`, `<data_dir>/tmp`).
struct ImageStoreVault: ImageVault {
    let store: ImageStore
    let maxBytes: Int

    init(root: String, maxBytes: Int) throws(ServiceError) {
        do {
            store = try ImageStore(root: root, configuration: ImageStoreConfiguration(maxImageBytes: maxBytes))
            // Partial downloads of a previous run are never resumed: their jobs restart.
            _ = try store.cleanTemp()
        } catch {
            throw .startup("image store at \(root): \(error)")
        }
        self.maxBytes = maxBytes
    }

    func begin() throws(DownloadFailure) -> any ImageUpload {
        do {
            return ImageStoreUpload(store: store, writer: try store.makeWriter(maxBytes: maxBytes))
        } catch {
            throw .local(error.description)
        }
    }

    func path(sha256: String, ext: String) -> String? {
        store.path(forSHA256: sha256, ext: ext)
    }
}

/// One temp file of the image store, fed by the HTTP client as a body sink.
final class ImageStoreUpload: ImageUpload, @unchecked Sendable {
    private let store: ImageStore
    private let writer: ImageWriter

    init(store: ImageStore, writer: ImageWriter) {
        self.store = store
        self.writer = writer
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try writer.write(bytes)
    }

    var bytesWritten: Int { writer.bytesWritten }

    func finish(contentType: String?, expectedWidth: Int?, expectedHeight: Int?) throws(DownloadFailure) -> SavedImage {
        let info: ImageInfo
        do {
            info = try store.verify(writer, contentType: contentType, expectedWidth: expectedWidth,
                                    expectedHeight: expectedHeight)
        } catch {
            throw Self.classify(error)
        }
        do {
            let stored = try store.commit(writer, format: info.format)
            return SavedImage(sha256: stored.sha256, ext: stored.ext, bytes: stored.bytes, path: stored.path)
        } catch {
            throw .local(error.description)
        }
    }

    func discard() { store.discard(writer) }

    static func classify(_ error: ImageVerificationError) -> DownloadFailure {
        switch error {
        case .unknownFormat, .contentTypeMismatch: .wrongType(error.description)
        case .dimensionMismatch: .wrongDimensions(error.description)
        case .truncated, .lengthMismatch: .truncated
        case .corrupt, .trailingData: .corrupt(error.description)
        case .tooLarge: .tooLarge
        case .io(let why): .local(why)
        }
    }
}
