/// An ordered list of header fields. Order and duplicates are preserved because some
/// rules (duplicate `Host`, differing `Content-Length`) depend on them.
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [HTTPField]

    public init() { fields = [] }

    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { HTTPField(name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[HTTPField]> { fields.makeIterator() }

    /// Appends a field, keeping any existing ones of the same name.
    public mutating func add(name: String, value: String) {
        fields.append(HTTPField(name: name, value: value))
    }

    mutating func append(_ field: HTTPField) {
        fields.append(field)
    }

    public mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }

    /// Replaces every field of this name with a single one.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    public mutating func remove(name: String) {
        fields.removeAll { Self.equalsIgnoringCase($0.name, name) }
    }

    /// The first value of the named field, if any.
    public subscript(name: String) -> String? {
        fields.first { Self.equalsIgnoringCase($0.name, name) }?.value
    }

    /// Every value of the named field, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { Self.equalsIgnoringCase($0.name, name) }.map(\.value)
    }

    public func contains(name: String) -> Bool {
        fields.contains { Self.equalsIgnoringCase($0.name, name) }
    }

    /// The named field read as a comma-separated token list (RFC 9110 §5.6.1), across
    /// all its occurrences, lowercased, with empty elements dropped. Used for
    /// `Connection` and `Transfer-Encoding`.
    public func tokens(_ name: String) -> [String] {
        values(name).flatMap { value in
            value.split(separator: ",").compactMap { element -> String? in
                let trimmed = element.trimmingOWS()
                return trimmed.isEmpty ? nil : trimmed.lowercased()
            }
        }
    }

    /// Whether the named field, read as a comma-separated list across all its
    /// occurrences (RFC 9110 §5.6.1), contains `token` (ASCII case-insensitive). Same
    /// answer as `tokens(name).contains(token.lowercased())`, without allocating:
    /// `keepAlive` asks it for every request.
    public func containsToken(_ name: String, _ token: String) -> Bool {
        var token = token
        return token.withUTF8 { t in
            for field in fields where Self.equalsIgnoringCase(field.name, name) {
                var value = field.value
                if value.withUTF8({ Self.list($0, contains: t) }) { return true }
            }
            return false
        }
    }

    private static func list(_ l: UnsafeBufferPointer<UInt8>, contains t: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i <= l.count {
            var start = i
            var end = i
            while end < l.count && l[end] != 0x2C { end += 1 } // ","
            i = end + 1
            while start < end && (l[start] == 0x20 || l[start] == 0x09) { start += 1 }
            while end > start && (l[end - 1] == 0x20 || l[end - 1] == 0x09) { end -= 1 }
            guard end - start == t.count else { continue }
            var k = 0
            while k < t.count && lowercased(l[start + k]) == lowercased(t[k]) { k += 1 }
            if k == t.count { return true }
        }
        return false
    }

    @inline(__always)
    static func lowercased(_ b: UInt8) -> UInt8 {
        (b >= 65 && b <= 90) ? b | 0x20 : b
    }

    /// ASCII case-insensitive comparison; header names are ASCII tokens.
    public static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        let au = a.utf8, bu = b.utf8
        guard au.count == bu.count else { return false }
        var ai = au.makeIterator(), bi = bu.makeIterator()
        while let x = ai.next(), let y = bi.next() {
            if x != y && lowercased(x) != lowercased(y) { return false }
        }
        return true
    }
}

extension Substring {
    /// Strips optional whitespace (SP / HTAB, RFC 9110 §5.6.3) from both ends.
    func trimmingOWS() -> String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
