import Foundation
import Testing
@testable import Daemon
import TestSupport

@Suite struct ConfigDocumentationTests {
    func documentedDefaults() throws -> [String: String] {
        let text = try String(contentsOfFile: packageRoot + "/config/imagehook.conf", encoding: .utf8)
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("#") {
            let body = line.dropFirst()
            guard let first = body.first, first.isLetter, first.isLowercase,
                  let eq = body.firstIndex(of: "=") else { continue }
            let key = body[..<eq].trimmingCharacters(in: .whitespaces)
            guard key.allSatisfy({ $0.isLowercase || $0 == "_" || $0.isNumber }) else { continue }
            result[key] = body[body.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        }
        return result
    }

    @Test func everyKeyIsDocumentedWithItsDefault() throws {
        let documented = try documentedDefaults()
        for key in DaemonConfiguration.keys {
            #expect(documented[key.name] == key.defaultText, "\(key.name): documented \(documented[key.name] ?? "nothing")")
        }
        let known = Set(DaemonConfiguration.keys.map(\.name))
        #expect(Set(documented.keys).subtracting(known).isEmpty, "documented but unknown: \(Set(documented.keys).subtracting(known))")
    }

    @Test func theExampleFileUncommentedIsValid() throws {
        let documented = try documentedDefaults()
        let text = documented.map { "\($0.key) = \($0.value)" }.joined(separator: "\n")
        let result = loadLocally(text)
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.configuration == localDefaults)
    }

    @Test func keyNamesAreUniqueAndGreppable() {
        let names = DaemonConfiguration.keys.map(\.name)
        #expect(Set(names).count == names.count)
        for name in names {
            #expect(name.allSatisfy { $0.isLowercaseKeyCharacter }, "\(name)")
        }
    }
}
