#if canImport(Glibc)
import Glibc
#endif

/// Number formatting for the tables (no Foundation formatters: fixed, locale-free).
enum BenchFormat {
    /// `12,345` (rounded).
    static func count(_ value: Double) -> String {
        let n = Int(value.rounded())
        var digits = String(abs(n))
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        return (n < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    /// Fixed decimals, e.g. `fixed(3.14159, 2)` = `3.14`.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([decimals, value]) { vsnprintf(&buffer, buffer.count, "%.*f", $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Milliseconds with a precision that suits the magnitude.
    static func ms(_ value: Double) -> String {
        fixed(value, value < 10 ? 2 : value < 100 ? 1 : 0) + " ms"
    }

    /// Bytes as MB (10^6, as `ls -h --si` and wrk report).
    static func mb(_ bytes: Int) -> String { fixed(Double(bytes) / 1_000_000, 1) + " MB" }

    /// Image sizes: `100 KB`, `20 MB`.
    static func size(_ bytes: Int) -> String {
        bytes >= 1_000_000 ? fixed(Double(bytes) / 1_000_000, bytes % 1_000_000 == 0 ? 0 : 1) + " MB"
            : "\(bytes / 1000) KB"
    }

    /// `/proc/loadavg`'s 1-minute figure, for the load note beside each table (the
    /// machine is shared with parallel builds).
    static func loadAverage() -> String {
        guard let file = fopen("/proc/loadavg", "r") else { return "?" }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 128)
        guard fgets(&line, Int32(line.count), file) != nil else { return "?" }
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.split(separator: " ").first.map(String.init) ?? "?"
    }
}
