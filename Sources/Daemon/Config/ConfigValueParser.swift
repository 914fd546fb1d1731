/// Parsers for the value syntaxes of the configuration file. Each returns a message for a
/// person on failure; the caller attaches the key and line.
enum ConfigValueParser {
    /// Durations: `500ms`, `10s`, `5m`, `2h`, or a bare number of seconds (`1.5`).
    static func seconds(_ text: String) -> Result<Double, Message> {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        var number = text, factor = 1.0
        for (suffix, f) in units where text.hasSuffix(suffix) {
            number = String(text.dropLast(suffix.count))
            factor = f
            break
        }
        guard let n = Double(number.trimmingSpaces()), n.isFinite, n >= 0 else {
            return .failure(Message("expected a duration such as 10s, 500ms, 5m, 2h or 7d, got `\(text)`"))
        }
        return .success(n * factor)
    }

    /// Sizes: `512`, `64KiB`, `32MiB`, `2GiB` (binary multiples; bare numbers are bytes).
    static func bytes(_ text: String) -> Result<Int, Message> {
        let units: [(String, Int)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("B", 1)]
        var number = text, factor = 1
        for (suffix, f) in units where text.hasSuffix(suffix) {
            number = String(text.dropLast(suffix.count))
            factor = f
            break
        }
        guard let n = Int(number.trimmingSpaces()), n >= 0 else {
            return .failure(Message("expected a size such as 1048576, 64KiB or 32MiB, got `\(text)`"))
        }
        let (product, overflow) = n.multipliedReportingOverflow(by: factor)
        guard !overflow else { return .failure(Message("size `\(text)` is too large")) }
        return .success(product)
    }

    static func integer(_ text: String, in range: ClosedRange<Int>) -> Result<Int, Message> {
        guard let n = Int(text), range.contains(n) else {
            return .failure(Message("expected an integer in \(range.lowerBound)...\(range.upperBound), got `\(text)`"))
        }
        return .success(n)
    }

    static func boolean(_ text: String) -> Result<Bool, Message> {
        switch text.lowercased() {
        case "true", "yes", "on", "1": return .success(true)
        case "false", "no", "off", "0": return .success(false)
        default: return .failure(Message("expected true or false, got `\(text)`"))
        }
    }

    /// Comma-separated list; empty elements dropped; empty text is the empty list.
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
    }

    /// A port list: `*` or empty text means any port (nil); otherwise every element
    /// must be a TCP port number (RFC 9293: 16 bits, 0 is not a destination port).
    static func ports(_ text: String) -> Result<Set<Int>?, Message> {
        let trimmed = text.trimmingSpaces()
        if trimmed.isEmpty || trimmed == "*" { return .success(nil) }
        var ports: Set<Int> = []
        var bad: [String] = []
        for item in list(trimmed) {
            if let n = Int(item), (1...65_535).contains(n) { ports.insert(n) } else { bad.append(item) }
        }
        guard bad.isEmpty else {
            return .failure(Message("not a port in 1...65535: \(bad.map { "`\($0)`" }.joined(separator: ", "))"))
        }
        return .success(ports)
    }

    static func url(_ text: String, schemes: Set<String>) -> Result<String, Message> {
        guard let colon = text.firstIndex(of: ":"),
              schemes.contains(text[..<colon].lowercased()),
              text[colon...].hasPrefix("://"),
              text.count > text.distance(from: text.startIndex, to: colon) + 3,
              !text.contains(where: { $0 == " " || $0 == "\t" }) else {
            let names = schemes.sorted().joined(separator: " or ")
            return .failure(Message("expected an absolute \(names) URL, got `\(text)`"))
        }
        var trimmed = text
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return .success(trimmed)
    }

    struct Message: Error, Sendable {
        var text: String
        init(_ text: String) { self.text = text }
    }
}
