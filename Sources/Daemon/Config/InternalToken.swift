import ImageHook

/// One bearer token accepted on the internal listener, with the name of the client it
/// belongs to (the name is what logs show, never the token) and its scope.
public struct InternalToken: Sendable, Equatable {
    public var name: String
    public var token: Secret
    public var scope: CallerScope

    public init(name: String, token: Secret, scope: CallerScope = .legacyDefault) {
        self.name = name
        self.token = token
        self.scope = scope
    }

    /// Minimum token length: 16 bytes of randomness encoded in hex is 32 characters.
    public static let minimumLength = 32

    /// Parses the tokens file: `name:token:scope` per line (scope `submitter` or `admin`;
    /// a `name:token` line is a submitter, see `CallerScope.legacyDefault`), `#`
    /// comments, blank lines ignored.
    /// Problems carry line numbers but never the token text.
    public static func parse(_ text: String) -> (tokens: [InternalToken], problems: [(line: Int, message: String)]) {
        var tokens: [InternalToken] = []
        var problems: [(Int, String)] = []
        var names: Set<String> = []
        var lineNumber = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let line = Substring(raw).trimmingSpaces().trimmingCharacters("\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                problems.append((lineNumber, "expected `name:token`"))
                continue
            }
            let name = String(line[..<colon]).trimmingSpaces()
            var token = String(line[line.index(after: colon)...]).trimmingSpaces()
            var scope = CallerScope.legacyDefault
            if let last = token.lastIndex(of: ":") {
                let word = String(token[token.index(after: last)...]).trimmingSpaces()
                guard let named = CallerScope(rawValue: word) else {
                    problems.append((lineNumber, "scope for `\(name)` must be submitter or admin"))
                    continue
                }
                scope = named
                token = String(token[..<last]).trimmingSpaces()
            }
            if name.isEmpty || !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) {
                problems.append((lineNumber, "invalid client name (letters, digits, - _ . only)"))
            } else if token.count < minimumLength {
                problems.append((lineNumber, "token for `\(name)` is shorter than \(minimumLength) characters"))
            } else if token.contains(where: { $0 == " " || $0 == "\t" || !$0.isASCII }) {
                problems.append((lineNumber, "token for `\(name)` contains spaces or non-ASCII characters"))
            } else if !names.insert(name).inserted {
                problems.append((lineNumber, "client name `\(name)` appears twice"))
            } else {
                tokens.append(InternalToken(name: name, token: Secret(token), scope: scope))
            }
        }
        return (tokens, problems)
    }
}

extension String {
    func trimmingCharacters(_ c: Character) -> String {
        var s = self[...]
        while s.last == c { s = s.dropLast() }
        return String(s)
    }
}
