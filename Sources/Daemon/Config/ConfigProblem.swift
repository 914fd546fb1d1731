/// One thing wrong with a configuration. `check-config` prints all of them at once, so an
/// operator fixes a file in one pass instead of one error per restart.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    /// Where the value came from: a file line, an environment variable, or nowhere
    /// (a required key that is missing, a rule across several keys).
    public enum Origin: Sendable, Equatable {
        case line(Int)
        case environment(String)
        case none
    }

    public var origin: Origin
    public var key: String?
    public var message: String

    public init(origin: Origin, key: String?, message: String) {
        self.origin = origin
        self.key = key
        self.message = message
    }

    /// The line number when the problem is on a line of the file.
    public var line: Int? {
        if case .line(let n) = origin { return n }
        return nil
    }

    /// `file:LINE: key: message` (compiler style, so editors can jump to it).
    public func render(file: String) -> String {
        let place: String
        switch origin {
        case .line(let n): place = "\(file):\(n)"
        case .environment(let name): place = "environment \(name)"
        case .none: place = file
        }
        if let key { return "\(place): \(key): \(message)" }
        return "\(place): \(message)"
    }

    public var description: String { render(file: "config") }
}
