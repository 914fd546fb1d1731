@testable import HTTP1

/// What the feeding helper needs from a parser, so request and response parsers share
/// one harness.
protocol FeedableParser {
    associatedtype Event: Equatable & Sendable
    mutating func append<C: Collection>(contentsOf bytes: C) where C.Element == UInt8
    mutating func next() throws(HTTPParseError) -> Event?
    /// The peer closed (responses); requests have no such notion and return nil.
    mutating func finish() throws(HTTPParseError) -> Event?
    mutating func setBodyLimit(_ bytes: Int)
    static func bodyBytes(_ event: Event) -> [UInt8]?
    static func isHead(_ event: Event) -> Bool
    static func body(_ bytes: [UInt8]) -> Event
}

extension HTTPRequestParser: FeedableParser {
    mutating func finish() throws(HTTPParseError) -> HTTPRequestEvent? { nil }
    static func bodyBytes(_ event: HTTPRequestEvent) -> [UInt8]? {
        if case .body(let b) = event { return b }
        return nil
    }
    static func isHead(_ event: HTTPRequestEvent) -> Bool {
        if case .head = event { return true }
        return false
    }
    static func body(_ bytes: [UInt8]) -> HTTPRequestEvent { .body(bytes) }
}

extension HTTPResponseParser: FeedableParser {
    static func bodyBytes(_ event: HTTPResponseEvent) -> [UInt8]? {
        if case .body(let b) = event { return b }
        return nil
    }
    static func isHead(_ event: HTTPResponseEvent) -> Bool {
        if case .head = event { return true }
        return false
    }
    static func body(_ bytes: [UInt8]) -> HTTPResponseEvent { .body(bytes) }
}
