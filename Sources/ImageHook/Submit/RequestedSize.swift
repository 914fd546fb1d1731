/// The `size` a stored request asked for (`WxH`), which downloaded images must match.
enum RequestedSize {
    static func of(_ request: [UInt8]) -> String? {
        if case .string(let s)? = JSONValue.parse(request)?["size"] { return s }
        return nil
    }

    static func parse(_ size: String?) -> (width: Int, height: Int)? {
        guard let size else { return nil }
        let parts = size.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]) else { return nil }
        return (w, h)
    }
}
