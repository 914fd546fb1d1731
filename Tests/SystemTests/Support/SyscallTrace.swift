/// An `strace -f -yy -tt` log read back as system calls with their start and end
/// positions, so a test can check ordering: which call completed before which began.
/// An interrupted call (`<unfinished ...>` ... `<... name resumed>`) becomes one call
/// spanning both lines.
struct SyscallTrace {
    struct Call {
        var pid: String
        var name: String
        /// Arguments and result as logged (both halves of an interrupted call).
        var text: String
        var start: Int
        var end: Int

        /// The first argument as logged, e.g. `12<TCP:[127.0.0.1:80->127.0.0.1:5000]>`.
        var firstArgument: String {
            guard let open = text.firstIndex(of: "(") else { return "" }
            let rest = text[text.index(after: open)...]
            return String(rest.prefix { $0 != "," && $0 != ")" })
        }
        var succeeded: Bool { text.contains(") = 0") || text.range(of: #"\) = [1-9]"#, options: .regularExpression) != nil }
    }

    let calls: [Call]
    let lines: [Substring]

    init(_ text: String) {
        lines = text.split(separator: "\n")
        var calls: [Call] = []
        var pending: [String: Call] = [:]
        for (index, line) in lines.enumerated() {
            let parts = line.split(separator: " ", maxSplits: 2)
            guard parts.count == 3 else { continue }
            let pid = String(parts[0])
            let body = String(parts[2])
            if body.hasPrefix("<... ") {
                guard var call = pending.removeValue(forKey: pid) else { continue }
                call.text += " " + body
                call.end = index
                calls.append(call)
            } else if let open = body.firstIndex(of: "(") {
                let call = Call(pid: pid, name: String(body[..<open]), text: body, start: index, end: index)
                if body.hasSuffix("<unfinished ...>") { pending[pid] = call } else { calls.append(call) }
            }
        }
        self.calls = calls.sorted { $0.start < $1.start }
    }

    static let reads: Set<String> = ["read", "readv", "recvfrom", "recvmsg"]
    static let writes: Set<String> = ["write", "writev", "sendto", "sendmsg"]
    static let syncs: Set<String> = ["fsync", "fdatasync"]

    /// The first read whose data contains `marker`.
    func firstRead(containing marker: String) -> Call? {
        calls.first { Self.reads.contains($0.name) && $0.text.contains(marker) }
    }

    /// The first write after position `after` whose data contains `marker`, optionally on
    /// the same descriptor as `sameFile`.
    func firstWrite(containing marker: String, after: Int, sameFile: String? = nil) -> Call? {
        calls.first {
            Self.writes.contains($0.name) && $0.start > after && $0.text.contains(marker)
                && (sameFile == nil || $0.firstArgument == sameFile)
        }
    }

    /// Successful fsync/fdatasync of a file whose path contains `path`, begun after
    /// `after` and completed before `before`.
    func syncs(of path: String, after: Int, before: Int) -> [Call] {
        calls.filter { Self.syncs.contains($0.name) && $0.start > after && $0.end < before
            && $0.firstArgument.contains(path) && $0.succeeded }
    }

    /// The log between two positions, for a failure message.
    func excerpt(_ from: Int, _ to: Int, limit: Int = 60) -> String {
        guard from <= to, from >= 0, to < lines.count else { return "" }
        return lines[from...to].suffix(limit).map { String($0.prefix(220)) }.joined(separator: "\n")
    }
}
