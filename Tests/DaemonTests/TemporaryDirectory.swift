import Foundation

/// A unique directory per test (tests run in parallel), removed on deinit.
final class TemporaryDirectory {
    let path: String

    init() {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/imagehook-daemon-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes a file with the given mode and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String, mode: Int = 0o600) -> String {
        let file = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: file, contents: Data(text.utf8),
                                       attributes: [.posixPermissions: mode])
        return file
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The package root, found from this file's path (Tests/DaemonTests/...).
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    url.deleteLastPathComponent()
    url.deleteLastPathComponent()
    url.deleteLastPathComponent()
    return url.path
}()

let longToken = String(repeating: "a1b2c3d4", count: 5)
let relaySecretText = String(repeating: "r", count: 40)
