import Foundation

/// Loosely typed access to JSON answers: the tests check the wire shape as a client
/// sees it, not through the service's own types.
struct JSONObject: @unchecked Sendable {
    let raw: [String: Any]

    init(_ dictionary: [String: Any]) { raw = dictionary }

    init(bytes: [UInt8]) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw SystemFailure("not a JSON object: \(String(decoding: bytes.prefix(500), as: UTF8.self))")
        }
        raw = object
    }

    func string(_ key: String) -> String? { raw[key] as? String }
    func int(_ key: String) -> Int? { (raw[key] as? NSNumber)?.intValue }
    func bool(_ key: String) -> Bool? { (raw[key] as? NSNumber)?.boolValue }
    func object(_ key: String) -> JSONObject? { (raw[key] as? [String: Any]).map(JSONObject.init) }
    func objects(_ key: String) -> [JSONObject] { (raw[key] as? [[String: Any]] ?? []).map(JSONObject.init) }
    func strings(_ key: String) -> [String] { raw[key] as? [String] ?? [] }
}
