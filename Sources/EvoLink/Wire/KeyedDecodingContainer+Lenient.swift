/// Decoding helpers for fields whose JSON type the provider has varied over time.
extension KeyedDecodingContainer {
    /// A string, or an integer rendered as a string (older pages used integer error
    /// codes). nil when absent or null.
    func decodeStringOrInteger(forKey key: Key) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let s = try? decode(String.self, forKey: key) { return s }
        if let i = try? decode(Int64.self, forKey: key) { return String(i) }
        throw DecodingError.typeMismatch(
            String.self,
            DecodingError.Context(codingPath: codingPath + [key],
                                  debugDescription: "expected a string or an integer"))
    }

    /// An integer that may arrive as a whole JSON number written with a fraction
    /// (`100.0`); a non-whole number is truncated toward zero. nil when absent or null.
    func decodeLenientInteger(forKey key: Key) throws -> Int? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let i = try? decode(Int.self, forKey: key) { return i }
        let d = try decode(Double.self, forKey: key)
        guard d.isFinite, abs(d) < 1e15 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self,
                                                   debugDescription: "number out of range")
        }
        return Int(d)
    }

    /// An integer and nothing else: Foundation's decoder would truncate `2.5` to 2, so
    /// the number is read as a Double and must be whole (`2.0` is an integer in JSON
    /// Schema). Strings and booleans are type mismatches. nil when absent or null.
    func decodeStrictInteger(forKey key: Key) throws -> Int? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        let d = try decode(Double.self, forKey: key)
        guard let i = Int(exactly: d) else {
            throw DecodingError.typeMismatch(
                Int.self,
                DecodingError.Context(codingPath: codingPath + [key],
                                      debugDescription: "expected an integer, got \(d)"))
        }
        return i
    }
}
