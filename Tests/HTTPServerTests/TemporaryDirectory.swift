import Glibc

/// A unique directory per test, removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    struct Failure: Error {}

    init() throws {
        var template = Array("/tmp/httpserver-test-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw Failure()
        }
        path = String(cString: made)
    }

    func write(_ bytes: [UInt8], to file: String) throws {
        guard let handle = fopen(file, "wb") else { throw Failure() }
        defer { fclose(handle) }
        guard bytes.withUnsafeBytes({ fwrite($0.baseAddress, 1, $0.count, handle) }) == bytes.count else {
            throw Failure()
        }
    }

    deinit {
        if let dir = opendir(path) {
            while let entry = readdir(dir) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
                }
                if name != "." && name != ".." { unlink(path + "/" + name) }
            }
            closedir(dir)
        }
        rmdir(path)
    }
}
