import Foundation

/// One place that fixes how wire types are written: no escaped slashes (URLs stay
/// readable), sorted keys (stable bytes, so equal values give equal bodies, which the
/// idempotency check relies on).
enum WireJSON {
    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain value types cannot fail: no non-finite floats are
        // produced by the decoders and every key is a string.
        guard let data = try? encoder.encode(value) else { return Array("{}".utf8) }
        return Array(data)
    }
}
