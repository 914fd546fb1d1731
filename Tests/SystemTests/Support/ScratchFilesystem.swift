import Foundation
import TestSupport

/// A small real filesystem mounted over a test's data directory, to make the disk fail
/// under the daemon the way production disks do: a tmpfs that fills up, or an ext4
/// image on a loop device that the kernel forces read-only (`trigger_fs_error` with
/// `errors=remount-ro`, exactly what ext4 does after an I/O error; open files then get
/// EROFS too, which a plain `mount -o remount,ro` refuses to do while files are open).
///
/// Mounting needs root. CI runs as root, so a non-root run is a loud failure, never a
/// skip. Blocking: call through `offPool`.
final class ScratchFilesystem: @unchecked Sendable {
    enum Kind { case tmpfs, ext4Image(String) }

    let mountPoint: String
    let kind: Kind
    private var mounted = false
    private var fillers: [String] = []

    static func requireRoot(_ why: String) throws {
        guard getuid() == 0 else {
            throw SystemFailure("\(why) needs root (it mounts a scratch filesystem); CI runs as root. Run the suite as root.")
        }
    }

    /// A tmpfs of `megabytes` at `mountPoint` (created if missing).
    static func tmpfs(at mountPoint: String, megabytes: Int) throws -> ScratchFilesystem {
        try requireRoot("the disk-full test")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        try TLSFront.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0700", "tmpfs", mountPoint], in: "/")
        let fs = ScratchFilesystem(mountPoint: mountPoint, kind: .tmpfs)
        fs.mounted = true
        return fs
    }

    /// An ext4 image of `megabytes` (no reserved blocks) loop-mounted at `mountPoint`
    /// with `errors=remount-ro`.
    static func ext4(at mountPoint: String, image: String, megabytes: Int) throws -> ScratchFilesystem {
        try requireRoot("the read-only data directory test")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        try TLSFront.run("/usr/bin/truncate", ["-s", "\(megabytes)M", image], in: "/")
        try TLSFront.run("/sbin/mkfs.ext4", ["-q", "-F", "-m", "0", image], in: "/")
        let fs = ScratchFilesystem(mountPoint: mountPoint, kind: .ext4Image(image))
        try fs.mount()
        return fs
    }

    private init(mountPoint: String, kind: Kind) {
        // As /proc/self/mounts spells it (a TMPDIR with a trailing slash gives "//").
        self.mountPoint = "/" + mountPoint.split(separator: "/").joined(separator: "/")
        self.kind = kind
    }

    /// (Re)mounts an ext4 image read-write, after an fsck that repairs what the forced
    /// read-only switch left (exit status 1, "errors corrected", is success here).
    func mount() throws {
        guard case .ext4Image(let image) = kind else { return }
        let fsck = try ChildProcess.run("/sbin/e2fsck", ["-f", "-y", image], timeout: 30)
        guard let code = fsck.exit.code, code <= 1 else {
            throw SystemFailure("e2fsck \(image) failed (\(fsck.exit)): \(fsck.stdout)\(fsck.stderr)")
        }
        try TLSFront.run("/bin/mount", ["-o", "loop,errors=remount-ro", image, mountPoint], in: "/")
        mounted = true
    }

    /// Writes filler files until the filesystem answers ENOSPC. Returns the bytes written.
    @discardableResult
    func fill() throws -> Int {
        var total = 0
        let chunk = [UInt8](repeating: 0xA5, count: 1 << 20)
        for index in 0..<4096 {
            let path = mountPoint + "/filler-\(fillers.count)-\(index)"
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else { break }
            fillers.append(path)
            var full = false
            while !full {
                let n = chunk.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
                if n > 0 { total += n } else { full = true }
                if n > 0 && n < chunk.count { full = true }
            }
            fsync(fd)
            close(fd)
            // One file per MiB-sized tail: keep going until not even a small write fits.
            if let free = Self.availableBytes(mountPoint), free < 4096 { return total }
        }
        return total
    }

    /// Space is back: the filler files are removed.
    func freeSpace() {
        for path in fillers { unlink(path) }
        fillers.removeAll()
    }

    /// The kernel forces the filesystem read-only under everyone, open files included,
    /// as ext4 does on an I/O error with `errors=remount-ro`.
    func forceReadOnly() throws {
        guard case .ext4Image = kind else { throw SystemFailure("forceReadOnly needs the ext4 image") }
        let device = try String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: " ") }
            .first { $0.count > 1 && String($0[1]) == mountPoint }.map { String($0[0]) }
        guard let device, device.hasPrefix("/dev/") else { throw SystemFailure("\(mountPoint) is not mounted from a device") }
        let knob = "/sys/fs/ext4/\(device.dropFirst("/dev/".count))/trigger_fs_error"
        let fd = open(knob, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemFailure("cannot open \(knob): errno \(errno)") }
        let message = Array("imagehook read-only data dir test\n".utf8)
        let written = message.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == message.count else { throw SystemFailure("cannot write \(knob): errno \(errno)") }
        let options = try String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)
            .split(separator: "\n").first { $0.split(separator: " ").dropFirst().first.map(String.init) == mountPoint }
        // Older kernels show `ro`; newer ones keep `rw` and add `emergency_ro`.
        let flags = options?.split(separator: " ").dropFirst(3).first?.split(separator: ",") ?? []
        guard flags.contains("ro") || flags.contains("emergency_ro") else {
            throw SystemFailure("\(mountPoint) did not turn read-only: \(options ?? "not mounted")")
        }
    }

    /// Unmounts (lazily if something still holds it); the processes using it must be gone.
    func unmount() {
        guard mounted else { return }
        if (try? TLSFront.run("/bin/umount", [mountPoint], in: "/")) == nil {
            _ = try? TLSFront.run("/bin/umount", ["-l", mountPoint], in: "/")
        }
        mounted = false
    }

    static func availableBytes(_ path: String) -> Int? {
        var s = statvfs()
        guard statvfs(path, &s) == 0 else { return nil }
        return Int(s.f_bavail) * Int(s.f_frsize)
    }

    deinit { unmount() }
}
