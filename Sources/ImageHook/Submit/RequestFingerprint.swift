import Foundation
import Support

/// SHA-256 over the caller's name and the request body in canonical JSON (keys sorted,
/// no insignificant whitespace), so the same request with keys reordered or re-spaced
/// is recognised as the same under one Idempotency-Key.
public enum RequestFingerprint {
    public static func compute(caller: String, body: [UInt8]) -> String {
        var input = Array(caller.utf8)
        input.append(0)
        input.append(contentsOf: canonicalJSON(body) ?? body)
        return SHA256.hex(input)
    }

    public static func canonicalJSON(_ body: [UInt8]) -> [UInt8]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]),
              let data = try? JSONSerialization.data(withJSONObject: object,
                                                     options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        else { return nil }
        return Array(data)
    }
}
