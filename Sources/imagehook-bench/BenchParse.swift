/// Parsing of option lists and of the `KEY=value` lines children print.
enum BenchParse {
    /// `"1,50,500"` -> [1, 50, 500]; every entry a positive integer.
    static func integers(_ list: String, option: String) throws(BenchError) -> [Int] {
        let values = list.split(separator: ",").map { Int($0.filter { $0 != " " }) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw .setup("\(option) takes positive integers separated by commas, not \(list)")
        }
        return values.compactMap { $0 }
    }

    /// The numbers of the first line of `output` that starts with `prefix` + space:
    /// `PREFIX a=1 b=2.5` -> ["a": 1, "b": 2.5]. nil if there is no such line.
    static func figures(after prefix: String, in output: String) -> [String: Double]? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix(prefix + " ") }) else { return nil }
        var figures: [String: Double] = [:]
        for pair in line.split(separator: " ").dropFirst() {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2, let value = Double(kv[1]) { figures[String(kv[0])] = value }
        }
        return figures
    }
}
