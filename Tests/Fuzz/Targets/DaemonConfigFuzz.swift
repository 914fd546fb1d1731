/// libFuzzer target: the configuration file parser and the typed key parsers behind it
/// (`ConfigLoader.load(text:)`, what `check-config` and `serve` run). Invariants: every
/// problem that names a line names one that exists; the file parser's entries have
/// trimmed, unique keys; and a configuration that loads without problems, written back
/// as `key = value` lines from the accepted text, loads again to the same configuration.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDaemonConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzInput(data, size), as: UTF8.self)
    let lineCount = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).count

    let file = ConfigFile(text: text)
    var keys = Set<String>()
    for entry in file.entries {
        fuzzCheck(keys.insert(entry.key).inserted, "key \(entry.key) kept twice")
        fuzzCheck(entry.key.trimmingSpaces() == entry.key && entry.value.trimmingSpaces() == entry.value,
                  "untrimmed entry \(entry)")
        fuzzCheck((1...lineCount).contains(entry.line), "entry on line \(entry.line) of \(lineCount)")
    }

    let result = ConfigLoader.load(text: text, environment: [:])
    for p in result.problems {
        if case .line(let n) = p.origin {
            fuzzCheck((1...lineCount).contains(n), "problem on line \(n) of \(lineCount): \(p.message)")
        }
    }
    if result.isValid {
        let rewritten = result.rawValues.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: "\n")
        let again = ConfigLoader.load(text: rewritten, environment: [:])
        fuzzCheck(again.isValid, "rewritten configuration has problems: \(again.problems.map(\.message))")
        fuzzCheck(again.configuration == result.configuration, "rewritten configuration differs")
    }
    return 0
}
