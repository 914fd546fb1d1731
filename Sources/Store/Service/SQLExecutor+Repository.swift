extension SQLExecutor {
    /// `label -> count` from a two-column `SELECT label, COUNT(*) ... GROUP BY label`.
    func counts(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws(StoreError) -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try query(sql, arguments) {
            out[row.string(0) ?? "", default: 0] += row.int(1) ?? 0
        }
        return out
    }
}
