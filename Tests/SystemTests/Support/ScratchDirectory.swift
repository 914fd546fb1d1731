import Foundation

/// A unique directory per test (tests run in parallel); removed on deinit unless
/// `IMAGEHOOK_KEEP_SYSTEM_TEST_DIRS` is set, so a failed run can be inspected.
final class ScratchDirectory: @unchecked Sendable {
    let path: String

    init(_ label: String) throws {
        path = FileManager.default.temporaryDirectory.path + "/imagehook-system-\(label)-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Writes a file with the given mode (secrets must not be world-readable) and
    /// returns its path.
    @discardableResult
    func write(_ name: String, _ text: String, mode: Int = 0o600) throws -> String {
        let file = self.file(name)
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: file, contents: Data(text.utf8),
                                             attributes: [.posixPermissions: mode]) else {
            throw SystemFailure("cannot write \(file)")
        }
        return file
    }

    func read(_ name: String) -> String {
        (try? String(contentsOfFile: file(name), encoding: .utf8)) ?? ""
    }

    deinit {
        if ProcessInfo.processInfo.environment["IMAGEHOOK_KEEP_SYSTEM_TEST_DIRS"] == nil {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
