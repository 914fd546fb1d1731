#if canImport(Glibc)
import Glibc
#endif

/// Resident set size of a process, from /proc/<pid>/status (Linux).
struct ProcessMemory {
    /// Current resident set (VmRSS), bytes.
    var rss: Int
    /// Peak resident set since start (VmHWM), bytes.
    var peak: Int

    /// nil: the process is gone or /proc is not there.
    static func of(pid: pid_t? = nil) -> ProcessMemory? {
        let path = pid.map { "/proc/\($0)/status" } ?? "/proc/self/status"
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var rss: Int?
        var peak: Int?
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            guard fields.count >= 2, let kb = Int(fields[1]) else { continue }
            if fields[0] == "VmRSS:" { rss = kb * 1024 }
            if fields[0] == "VmHWM:" { peak = kb * 1024 }
        }
        guard let rss, let peak else { return nil }
        return ProcessMemory(rss: rss, peak: peak)
    }
}
