#if canImport(Glibc)
import Glibc
#endif

/// Free space for unprivileged writers on the file system holding a path (statvfs
/// f_bavail: what the daemon can actually use, not the root reserve).
public enum DiskSpace {
    public static func availableBytes(at path: String) -> Int? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        let (bytes, overflow) = Int(info.f_bavail).multipliedReportingOverflow(by: Int(info.f_frsize))
        return overflow ? Int.max : bytes
    }
}
