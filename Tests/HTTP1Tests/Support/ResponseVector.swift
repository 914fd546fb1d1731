import Testing
@testable import HTTP1

/// One response-parser test case: input, the request method it answers, whether the
/// peer closes after the bytes, and the exact expected outcome.
struct ResponseVector: Sendable, CustomStringConvertible {
    var name: String
    var bytes: [UInt8]
    var method: String?
    var close: Bool
    var limits: HTTPParserLimits
    var events: [HTTPResponseEvent]
    var error: HTTPParseError?

    var description: String { name }

    init(_ name: String, _ text: String, method: String? = nil, close: Bool = false,
         limits: HTTPParserLimits = HTTPParserLimits(),
         _ events: [HTTPResponseEvent] = [], error: HTTPParseError? = nil) {
        self.name = name
        self.bytes = Array(text.utf8)
        self.method = method
        self.close = close
        self.limits = limits
        self.events = events
        self.error = error
    }

    func check() {
        var parser = HTTPResponseParser(limits: limits)
        if let method { parser.setRequestMethod(method) }
        Feeder.expectAllSplits(parser, bytes, FeedOutcome(events: events, error: error), close: close, name)
    }
}

func responseHead(_ status: Int, _ reason: String? = nil, _ version: HTTPVersion = .http1_1,
                  _ fields: [(String, String)] = [], _ framing: HTTPBodyFraming) -> HTTPResponseEvent {
    .head(HTTPResponseHead(status: status, reason: reason, version: version,
                           headers: HTTPHeaders(fields), framing: framing))
}
