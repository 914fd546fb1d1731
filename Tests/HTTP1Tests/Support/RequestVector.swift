import Testing
@testable import HTTP1

/// One request-parser test case: input bytes, limits, and the exact expected outcome.
struct RequestVector: Sendable, CustomStringConvertible {
    var name: String
    var bytes: [UInt8]
    var limits = HTTPParserLimits()
    var bodyLimit: Int?
    var events: [HTTPRequestEvent]
    var error: HTTPParseError?

    var description: String { name }

    init(_ name: String, _ text: String, limits: HTTPParserLimits = HTTPParserLimits(), bodyLimit: Int? = nil,
         _ events: [HTTPRequestEvent] = [], error: HTTPParseError? = nil) {
        self.init(name, Array(text.utf8), limits: limits, bodyLimit: bodyLimit, events, error: error)
    }

    init(_ name: String, _ bytes: [UInt8], limits: HTTPParserLimits = HTTPParserLimits(), bodyLimit: Int? = nil,
         _ events: [HTTPRequestEvent] = [], error: HTTPParseError? = nil) {
        self.name = name
        self.bytes = bytes
        self.limits = limits
        self.bodyLimit = bodyLimit
        self.events = events
        self.error = error
    }

    /// Feeds the vector whole, byte by byte and in random splits.
    func check() {
        Feeder.expectAllSplits(HTTPRequestParser(limits: limits), bytes,
                               FeedOutcome(events: events, error: error), bodyLimit: bodyLimit, name)
    }
}

/// A `.head` event for an expected outcome (Host: a by default).
func requestHead(_ method: String = "GET", _ target: String = "/", _ version: HTTPVersion = .http1_1,
                 _ fields: [(String, String)] = [("Host", "a")], _ framing: HTTPBodyFraming = .none) -> HTTPRequestEvent {
    .head(HTTPRequestHead(method: method, target: target, version: version,
                          headers: HTTPHeaders(fields), framing: framing))
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func limits(_ change: (inout HTTPParserLimits) -> Void) -> HTTPParserLimits {
    var l = HTTPParserLimits()
    change(&l)
    return l
}
