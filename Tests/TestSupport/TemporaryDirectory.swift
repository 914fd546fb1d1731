import Foundation

/// A unique directory per test (tests run in parallel), mode 0700, removed on deinit
/// unless `IMAGEHOOK_KEEP_TEST_DIRS` is set, so a failed run can be inspected.
/// Failing to create or write in the temporary directory is a broken machine, not a
/// test result, so those stop the test process with the reason.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(_ label: String = "test") {
        // NSTemporaryDirectory() ends in "/"; a doubled slash would make the path differ
        // from what /proc/self/mounts and the kernel report for it.
        var base = NSTemporaryDirectory()
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        var template = Array((base + "/imagehook-\(label)-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            preconditionFailure("mkdtemp in \(NSTemporaryDirectory()) failed: errno \(errno)")
        }
        path = String(cString: made)
    }

    deinit {
        if ProcessInfo.processInfo.environment["IMAGEHOOK_KEEP_TEST_DIRS"] == nil {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes a file (and its parent directories) with the given mode (secrets must not
    /// be world-readable) and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String, mode: Int = 0o600) -> String {
        write(name, bytes: Array(text.utf8), mode: mode)
    }

    @discardableResult
    public func write(_ name: String, bytes: [UInt8], mode: Int = 0o600) -> String {
        let file = self.file(name)
        do {
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
        } catch {
            preconditionFailure("cannot create the directory of \(file): \(error)")
        }
        guard FileManager.default.createFile(atPath: file, contents: Data(bytes),
                                             attributes: [.posixPermissions: mode]) else {
            preconditionFailure("cannot write \(file)")
        }
        return file
    }

    /// A file's text, or "" when it does not exist (yet).
    public func read(_ name: String) -> String {
        (try? String(contentsOfFile: file(name), encoding: .utf8)) ?? ""
    }
}
