#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the system calls the image store needs, each mapping errno to
/// `ImageStoreError` (ENOSPC/EDQUOT become `.noSpace` so callers can answer 503).
enum POSIX {
    static func error(_ operation: String, _ path: String, _ code: Int32 = errno) -> ImageStoreError {
        if code == ENOSPC || code == EDQUOT { return .noSpace(path: path) }
        return .io(operation: operation, path: path, errno: code, message: String(cString: strerror(code)))
    }

    /// Creates a directory; true when it was created now, false when it already existed.
    /// The mode is applied exactly (chmod after mkdir), independent of the umask.
    @discardableResult
    static func makeDirectory(_ path: String, mode: mode_t) throws(ImageStoreError) -> Bool {
        if mkdir(path, mode) == 0 {
            guard chmod(path, mode) == 0 else { throw error("chmod", path) }
            return true
        }
        let code = errno
        var info = stat()
        if code == EEXIST, stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { return false }
        throw error("mkdir", path, code)
    }

    static func openDirectory(_ path: String) throws(ImageStoreError) -> Int32 {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw error("open directory", path) }
        return fd
    }

    /// fsync of a directory makes a create/rename/unlink in it durable (POSIX leaves the
    /// entry itself in the page cache until then).
    static func syncDirectory(_ path: String) throws(ImageStoreError) {
        let fd = try openDirectory(path)
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw error("fsync directory", path) }
    }

    static func sync(_ fd: Int32, path: String) throws(ImageStoreError) {
        guard fsync(fd) == 0 else { throw error("fsync", path) }
    }

    /// write(2) until every byte is out, retrying EINTR and short writes.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(ImageStoreError) {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = write(fd, pointer, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw error("write", path)
            }
            pointer += written
            remaining -= written
        }
    }

    /// pread(2) of up to `count` bytes at `offset`, retrying EINTR; short only at EOF.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int,
                     path: String) throws(ImageStoreError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var total = 0
        while total < buffer.count {
            let got = pread(fd, base + total, buffer.count - total, off_t(offset + total))
            if got < 0 {
                if errno == EINTR { continue }
                throw error("read", path)
            }
            if got == 0 { break }
            total += got
        }
        return total
    }

    static func fileSize(_ fd: Int32, path: String) throws(ImageStoreError) -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw error("fstat", path) }
        return Int(info.st_size)
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Names in a directory, without "." and "..".
    static func list(_ path: String) throws(ImageStoreError) -> [String] {
        guard let dir = opendir(path) else { throw error("opendir", path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
