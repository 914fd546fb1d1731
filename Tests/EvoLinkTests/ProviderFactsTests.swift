import Foundation
import Testing

/// The provider facts live in `Sources/EvoLink/PROVIDER.md`; comments across the tree cite
/// its sections by name. A citation of a section that does not exist, or of a document
/// outside the repository, would leave a reader of a clone without the fact it relies on.
@Suite struct ProviderFactsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func sourceFiles() throws -> [URL] {
        let sources = root.appendingPathComponent("Sources")
        let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        var files: [URL] = []
        while let url = walker?.nextObject() as? URL {
            if url.pathExtension == "swift" { files.append(url) }
        }
        return files
    }

    static func headings() throws -> Set<String> {
        let text = try String(contentsOf: root.appendingPathComponent("Sources/EvoLink/PROVIDER.md"), encoding: .utf8)
        return Set(text.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) })
    }

    @Test func everyCitedSectionExists() throws {
        let headings = try Self.headings()
        #expect(headings.isSuperset(of: ["Submit", "Errors", "Task detail", "Callbacks", "Images"]))
        let citation = /PROVIDER\.md, ([A-Z][a-z]+(?: [a-z]+)?)/
        var cited = 0
        for file in try Self.sourceFiles() {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: citation) {
                cited += 1
                let name = String(match.output.1)
                // "Task detail" and single words: accept the longest heading the words start.
                let known = headings.contains(name) || headings.contains(String(name.split(separator: " ")[0]))
                #expect(known, "\(file.lastPathComponent) cites PROVIDER.md section \"\(name)\", which does not exist")
            }
        }
        #expect(cited >= 10, "the sources cite PROVIDER.md sections \(cited) times; the scan found too few to be looking in the right place")
    }

    @Test func noCommentCitesADocumentOutsideTheRepository() throws {
        for file in try Self.sourceFiles() {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(!text.contains("evolink-api-notes"), "\(file.lastPathComponent) cites a notes document that is not in the repository")
        }
    }
}
