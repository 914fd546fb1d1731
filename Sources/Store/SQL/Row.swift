/// One result row, copied out of SQLite so it outlives the statement and can cross
/// threads. Getters return nil for NULL (and for an unknown column name).
public struct Row: Sendable, Hashable {
    public let columns: [String]
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    public var count: Int { values.count }

    public subscript(_ index: Int) -> SQLValue {
        values.indices.contains(index) ? values[index] : .null
    }

    public subscript(_ name: String) -> SQLValue {
        guard let index = index(of: name) else { return .null }
        return values[index]
    }

    /// Column names compare case-insensitively, as SQLite does.
    public func index(of name: String) -> Int? {
        if let exact = columns.firstIndex(of: name) { return exact }
        let lowered = name.lowercased()
        return columns.firstIndex { $0.lowercased() == lowered }
    }

    public func int64(_ index: Int) -> Int64? { self[index].int64 }
    public func int(_ index: Int) -> Int? { self[index].int }
    public func double(_ index: Int) -> Double? { self[index].double }
    public func string(_ index: Int) -> String? { self[index].string }
    public func blob(_ index: Int) -> [UInt8]? { self[index].blob }
    public func bool(_ index: Int) -> Bool? { self[index].bool }

    public func int64(_ name: String) -> Int64? { self[name].int64 }
    public func int(_ name: String) -> Int? { self[name].int }
    public func double(_ name: String) -> Double? { self[name].double }
    public func string(_ name: String) -> String? { self[name].string }
    public func blob(_ name: String) -> [UInt8]? { self[name].blob }
    public func bool(_ name: String) -> Bool? { self[name].bool }
}
