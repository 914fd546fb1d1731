/// The `key = value` configuration format: one setting per line, `#` starts a comment
/// only at the beginning of a line (values such as URLs may contain `#`), blank lines are
/// ignored. Deliberately tiny so a file can be read with `grep` and diffed in review.
public struct ConfigFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: String
        public var line: Int
    }

    public private(set) var entries: [Entry] = []
    public private(set) var problems: [ConfigProblem] = []

    public init(text: String) {
        var seen: [String: Int] = [:]
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.last == "\r" { line = line.dropLast() }
            let trimmed = line.trimmingSpaces()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let eq = trimmed.firstIndex(of: "=") else {
                problems.append(ConfigProblem(origin: .line(lineNumber), key: nil,
                                              message: "expected `key = value`, got `\(trimmed)`"))
                continue
            }
            let key = trimmed[..<eq].trimmingSpaces()
            let value = trimmed[trimmed.index(after: eq)...].trimmingSpaces()
            guard !key.isEmpty, key.allSatisfy({ $0.isLowercaseKeyCharacter }) else {
                problems.append(ConfigProblem(origin: .line(lineNumber), key: nil,
                                              message: "invalid key `\(key)` (lowercase letters, digits and _ only)"))
                continue
            }
            if let first = seen[key] {
                problems.append(ConfigProblem(origin: .line(lineNumber), key: key,
                                              message: "set twice (first on line \(first))"))
                continue
            }
            seen[key] = lineNumber
            entries.append(Entry(key: key, value: value, line: lineNumber))
        }
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

extension String {
    func trimmingSpaces() -> String { self[...].trimmingSpaces() }
}

extension Character {
    var isLowercaseKeyCharacter: Bool {
        ("a"..."z").contains(self) || ("0"..."9").contains(self) || self == "_"
    }
}
