import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The data directory: created with mode 0700 when missing, and probed for a durable
/// write (create, write, fsync, unlink) when the service offers no store probe.
public enum DataDirectory {
    public enum Failure: Error, CustomStringConvertible {
        case cannotCreate(String, String)
        public var description: String {
            switch self {
            case .cannotCreate(let path, let why): return "cannot create data_dir \(path): \(why)"
            }
        }
    }

    public static func prepare(_ path: String) throws(Failure) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotCreate(path, "\(error.localizedDescription)")
        }
    }

    /// nil when a small file can be written and fsync'd in `path`.
    public static func writeProblem(_ path: String) -> String? {
        let probe = path + "/.readyz-probe-\(getpid())"
        let fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return "cannot create a file in data_dir: \(String(cString: strerror(errno)))" }
        defer { close(fd); unlink(probe) }
        let ok = "ok".withCString { write(fd, $0, 2) } == 2 && fsync(fd) == 0
        return ok ? nil : "write/fsync in data_dir failed: \(String(cString: strerror(errno)))"
    }
}
