#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// A download in progress: bytes go to a private temp file in `tmp/` while SHA-256 is
/// computed and the size cap enforced. Its `write(_:)` matches the HTTP client's body
/// sink. Finish it with `ImageStore.commit` or `ImageStore.discard`; a writer dropped
/// without either removes its temp file.
public final class ImageWriter: @unchecked Sendable {
    private struct State {
        var fd: Int32
        var count = 0
        var digest: String?
        var closed = false
    }

    public let temporaryPath: String
    public let maxBytes: Int
    // The mutable state lives behind this lock and the hasher is used only while it is
    // held, hence @unchecked Sendable.
    private let state: Locked<State>
    private let hasher = SHA256Hasher()

    init(fd: Int32, temporaryPath: String, maxBytes: Int) {
        self.temporaryPath = temporaryPath
        self.maxBytes = maxBytes
        state = Locked(State(fd: fd))
    }

    deinit {
        let (closed, fd) = state.withLock { ($0.closed, $0.fd) }
        if !closed {
            close(fd)
            unlink(temporaryPath)
        }
    }

    /// Appends bytes; throws `.tooLarge` (writing nothing) once the cap would be passed.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(ImageStoreError) {
        try state.withLock { state throws(ImageStoreError) in
            guard !state.closed, state.digest == nil else { throw .writerClosed }
            guard bytes.count <= maxBytes - state.count else { throw .tooLarge(limit: maxBytes) }
            try POSIX.writeAll(state.fd, bytes, path: temporaryPath)
            hasher.update(bytes)
            state.count += bytes.count
        }
    }

    public func write(_ bytes: [UInt8]) throws(ImageStoreError) {
        let result: Result<Void, ImageStoreError> = bytes.withUnsafeBytes { raw in
            do throws(ImageStoreError) {
                try write(raw)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    public var bytesWritten: Int {
        state.withLock { $0.count }
    }

    /// Ends writing and returns the lower-case hex SHA-256 of everything written.
    public func finish() throws(ImageStoreError) -> String {
        try state.withLock { state throws(ImageStoreError) in
            guard !state.closed else { throw .writerClosed }
            if let digest = state.digest { return digest }
            let digest = Hex.encode(hasher.finalize())
            state.digest = digest
            return digest
        }
    }

    /// fsyncs and closes the file for the rename; returns digest and length.
    func seal() throws(ImageStoreError) -> (sha256: String, bytes: Int) {
        let digest = try finish()
        return try state.withLock { state throws(ImageStoreError) in
            guard !state.closed else { throw .writerClosed }
            // The data must be on disk before the name points at it, or a crash could
            // leave a complete-looking name over missing blocks.
            try POSIX.sync(state.fd, path: temporaryPath)
            close(state.fd)
            state.closed = true
            return (digest, state.count)
        }
    }

    /// Closes and deletes the temp file; false when it was already closed.
    @discardableResult
    func abandon() -> Bool {
        state.withLock { state -> Bool in
            guard !state.closed else { return false }
            close(state.fd)
            unlink(temporaryPath)
            state.closed = true
            return true
        }
    }
}
