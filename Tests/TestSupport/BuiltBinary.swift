import Foundation

/// The package root, from this file's path (Tests/TestSupport/BuiltBinary.swift).
public let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The package's executables as built for this test run.
public enum BuiltBinary {
    /// Next to the test bundle first, which is the configuration `swift test` built (so a
    /// sanitizer run starts sanitized children from its own scratch path), then the
    /// conventional debug directory.
    public static func path(_ name: String) throws(BuiltBinaryMissing) -> String {
        var candidates: [String] = []
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent(name).path)
            dir.deleteLastPathComponent()
        }
        candidates.append(packageRoot + "/.build/debug/" + name)
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw BuiltBinaryMissing(name: name, looked: candidates)
    }
}

public struct BuiltBinaryMissing: Error, CustomStringConvertible {
    public let name: String
    public let looked: [String]
    public var description: String {
        "\(name) is not built (looked in \(looked.joined(separator: ", "))). "
            + "Run `swift build --build-tests` (or `bash .ci/test`) before `swift test --skip-build`."
    }
}
