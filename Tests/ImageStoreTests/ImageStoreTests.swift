import Foundation
import Testing
@testable import ImageStore
import Support
import TestSupport

/// `sha256sum` of `path`, run off the pool; bounded.
private func sha256sum(_ path: String) async throws -> (digest: String, status: Int32) {
    let run = try await offPool { try ChildProcess.run("/usr/bin/sha256sum", [path], timeout: 30) }
    return (run.stdout.split(separator: " ").first.map(String.init) ?? "", run.exit.code ?? -1)
}

private func mode(_ path: String) -> UInt32 {
    var info = stat()
    guard stat(path, &info) == 0 else { return 0 }
    return UInt32(info.st_mode) & 0o777
}

private func write(_ bytes: [UInt8], to writer: ImageWriter, pieces: Int = 7) throws {
    let size = max(1, bytes.count / pieces)
    var offset = 0
    while offset < bytes.count {
        let end = min(offset + size, bytes.count)
        try Array(bytes[offset..<end]).withUnsafeBytes { try writer.write($0) }
        offset = end
    }
}

@Suite struct ImageStoreTests {
    @Test func createsPrivateDirectories() throws {
        let dir = TemporaryDirectory()
        let store = try ImageStore(root: dir.file("data"))
        for path in [store.root, store.imagesDirectory, store.temporaryDirectory] {
            #expect(mode(path) == 0o750, "\(path)")
        }
        // Opening again over existing directories is fine.
        _ = try ImageStore(root: dir.file("data") + "/")
    }

    @Test func commitStoresVerifiedFileUnderItsSHA256() async throws {
        let dir = TemporaryDirectory()
        let store = try ImageStore(root: dir.file("data"))
        let png = Samples.png(width: 50, height: 40, seed: 9)
        let writer = try store.makeWriter()
        #expect(writer.temporaryPath.hasPrefix(store.temporaryDirectory + "/"))
        try write(png, to: writer)
        #expect(writer.bytesWritten == png.count)
        let info = try store.verify(writer, contentType: "image/png", expectedWidth: 50, expectedHeight: 40,
                                    expectedLength: png.count)
        let format = info.format
        let stored = try await offPool { try store.commit(writer, format: format) }

        let (expectedSHA, status) = try await sha256sum(stored.path)
        #expect(status == 0)
        #expect(stored.sha256 == expectedSHA)
        #expect(info.sha256 == expectedSHA)
        #expect(stored.path == "\(store.imagesDirectory)/\(expectedSHA.prefix(2))/\(expectedSHA).png")
        #expect(stored.path == store.path(forSHA256: expectedSHA, ext: "png"))
        #expect(stored.bytes == png.count && !stored.alreadyExisted)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: stored.path))) == png)
        #expect(store.exists(sha256: expectedSHA, ext: "png"))
        #expect(store.size(ofSHA256: expectedSHA, ext: "png") == png.count)
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory).isEmpty)
        #expect(mode(stored.path) == 0o640)
        // The stored file still verifies from disk.
        #expect(try ImageVerifier.verify(file: stored.path, contentType: nil).sha256 == expectedSHA)
        // A committed writer takes no more bytes.
        #expect(throws: ImageStoreError.writerClosed) { try writer.write([1]) }
    }

    @Test func identicalContentIsStoredOnce() async throws {
        let dir = TemporaryDirectory()
        let store = try ImageStore(root: dir.file("data"))
        let png = Samples.png(width: 8, height: 8)
        var results: [StoredImage] = []
        for _ in 0..<3 {
            let writer = try store.makeWriter()
            try writer.write(png)
            results.append(try await offPool { try store.commit(writer, format: .png) })
        }
        #expect(results.map(\.alreadyExisted) == [false, true, true])
        #expect(Set(results.map(\.path)).count == 1)
        let shard = (results[0].path as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: shard) == [results[0].fileName])
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory).isEmpty)
    }

    @Test func concurrentCommitsOfTheSameContentLeaveOneFile() async throws {
        let dir = TemporaryDirectory()
        let store = try ImageStore(root: dir.file("data"))
        let png = Samples.png(width: 16, height: 16, seed: 3)
        let results = try await withThrowingTaskGroup(of: StoredImage.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    // Each commit fsyncs file and directory: off the pool.
                    try await offPool {
                        let writer = try store.makeWriter()
                        try writer.write(png)
                        return try store.commit(writer, format: .png)
                    }
                }
            }
            var all: [StoredImage] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(Set(results.map(\.path)).count == 1)
        #expect(results.contains { !$0.alreadyExisted })
        let shard = (results[0].path as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: shard) == [results[0].fileName])
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: results[0].path))) == png)
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory).isEmpty)
    }

    @Test func knownDigestVectors() {
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Hex.encode([0x00, 0x0F, 0xA0, 0xFF]) == "000fa0ff")
    }

    @Test func writerEnforcesMaxSize() throws {
        let dir = TemporaryDirectory()
        let store = try ImageStore(root: dir.file("data"), configuration: ImageStoreConfiguration(maxImageBytes: 100))
        let writer = try store.makeWriter()
        try writer.write([UInt8](repeating: 1, count: 60))
        #expect(throws: ImageStoreError.tooLarge(limit: 100)) { try writer.write([UInt8](repeating: 2, count: 41)) }
        #expect(writer.bytesWritten == 60)
        try writer.write([UInt8](repeating: 3, count: 40))   // exactly at the cap is fine
        #expect(throws: ImageStoreError.tooLarge(limit: 100)) { try writer.write([4]) }
        let small = try store.makeWriter(maxBytes: 10)
        #expect(throws: ImageStoreError.tooLarge(limit: 10)) { try small.write([UInt8](repeating: 0, count: 11)) }
        store.discard(writer)
        store.discard(small)
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory).isEmpty)
    }

    @Test func cleanTempRemovesPartials() throws {
        let dir = TemporaryDirectory()
        let root = dir.file("data")
        do {
            let store = try ImageStore(root: root)
            // Leftovers of a crash: a half-written download and an odd file.
            let writer = try store.makeWriter()
            try writer.write(Array(Samples.png(width: 20, height: 20).prefix(50)))
            _ = FileManager.default.createFile(atPath: store.temporaryDirectory + "/dl-stale.part", contents: Data([1, 2]))
            // Keep the writer's file as a crash would (no discard, no deinit cleanup).
            try FileManager.default.copyItem(atPath: writer.temporaryPath, toPath: writer.temporaryPath + ".copy")
        }
        let store = try ImageStore(root: root)
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory).count == 2)
        #expect(try store.cleanTemp() == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.imagesDirectory).isEmpty)
    }

    @Test func droppedOrDiscardedWriterLeavesNothing() throws {
        let dir = TemporaryDirectory()
        let store = try ImageStore(root: dir.file("data"))
        var path = ""
        do {
            let writer = try store.makeWriter()
            path = writer.temporaryPath
            try writer.write([1, 2, 3])
            #expect(FileManager.default.fileExists(atPath: path))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        let writer = try store.makeWriter()
        store.discard(writer)
        #expect(!FileManager.default.fileExists(atPath: writer.temporaryPath))
        #expect(throws: ImageStoreError.writerClosed) { try store.commit(writer, format: .png) }
    }

    @Test func failedVerificationDoesNotStore() throws {
        let dir = TemporaryDirectory()
        let store = try ImageStore(root: dir.file("data"))
        let writer = try store.makeWriter()
        try writer.write(Array(Samples.png(width: 30, height: 30).dropLast(5)))
        #expect(throws: ImageVerificationError.self) {
            try store.verify(writer, contentType: "image/png", expectedWidth: 30, expectedHeight: 30)
        }
        store.discard(writer)
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.imagesDirectory).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory).isEmpty)
    }

    @Test func namesFromOutsideCannotEscape() throws {
        let dir = TemporaryDirectory()
        let store = try ImageStore(root: dir.file("data"))
        let sha = SHA256.hex("x")
        #expect(store.path(forSHA256: sha, ext: "png") != nil)
        #expect(store.path(forSHA256: sha, ext: "jpg") != nil)
        #expect(store.path(forSHA256: sha.uppercased(), ext: "png") == nil)
        #expect(store.path(forSHA256: "../../etc/passwd", ext: "png") == nil)
        #expect(store.path(forSHA256: sha, ext: "png/../../x") == nil)
        #expect(store.path(forSHA256: sha, ext: "jpeg") == nil)   // stored as .jpg only
        #expect(store.path(forSHA256: String(sha.dropLast()), ext: "png") == nil)
        #expect(!store.exists(sha256: sha, ext: "png"))
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals("token-abc", "token-abc"))
        #expect(!ConstantTime.equals("token-abc", "token-abd"))
        #expect(!ConstantTime.equals("token-abc", "token-ab"))
        #expect(ConstantTime.equals([UInt8](), []))
    }
}
