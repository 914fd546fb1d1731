import Foundation

/// The package's own executables as built by `swift build --build-tests` (which
/// `.ci/test` runs first). A missing binary is a loud failure, never a skip: the system
/// tests exist to run the real processes.
enum BuiltBinary {
    /// The package root, from this file's path (Tests/SystemTests/Support/...).
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func path(_ name: String) throws -> String {
        var candidates: [URL] = []
        // Next to the test bundle first (the configuration `swift test` built), then the
        // conventional debug directory.
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent(name))
            dir.deleteLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: packageRoot + "/.build/debug/" + name))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate.path
        }
        throw SystemFailure("""
            \(name) is not built (looked in \(candidates.map(\.path).joined(separator: ", "))). \
            Run `swift build --build-tests` (or `bash .ci/test`) before `swift test --skip-build`.
            """)
    }
}
