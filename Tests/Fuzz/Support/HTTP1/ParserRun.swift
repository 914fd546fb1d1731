/// What a parser made of one input fed in some split: its events with adjacent body
/// pieces joined (a split may change the pieces, never their bytes), the error that
/// stopped it, and the input offsets right after each `.end` (message boundaries).
struct ParserRun<Event: Equatable>: Equatable {
    var events: [Event] = []
    var error: HTTPParseError?
    var boundaries: [Int] = []
}

/// The calls the harnesses make on a request or a response parser.
protocol FuzzableParser {
    associatedtype Event: Equatable
    mutating func append<C: Collection>(contentsOf bytes: C) where C.Element == UInt8
    mutating func next() throws(HTTPParseError) -> Event?
    /// The peer closed; requests have no such notion (nil).
    mutating func finishInput() throws(HTTPParseError) -> Event?
    static func bodyBytes(_ event: Event) -> [UInt8]?
    static func isEnd(_ event: Event) -> Bool
    static func body(_ bytes: [UInt8]) -> Event
}

extension HTTPRequestParser: FuzzableParser {
    mutating func finishInput() throws(HTTPParseError) -> HTTPRequestEvent? { nil }
    static func bodyBytes(_ event: HTTPRequestEvent) -> [UInt8]? {
        if case .body(let b) = event { return b }
        return nil
    }
    static func isEnd(_ event: HTTPRequestEvent) -> Bool { event == .end }
    static func body(_ bytes: [UInt8]) -> HTTPRequestEvent { .body(bytes) }
}

extension HTTPResponseParser: FuzzableParser {
    mutating func finishInput() throws(HTTPParseError) -> HTTPResponseEvent? { try finish() }
    static func bodyBytes(_ event: HTTPResponseEvent) -> [UInt8]? {
        if case .body(let b) = event { return b }
        return nil
    }
    static func isEnd(_ event: HTTPResponseEvent) -> Bool { event == .end }
    static func body(_ bytes: [UInt8]) -> HTTPResponseEvent { .body(bytes) }
}

enum ParserFeed {
    /// Feeds `input` cut into pieces of the given sizes (the rest in one last piece),
    /// draining events after each piece, then signals the end of input.
    static func run<P: FuzzableParser>(_ parser: P, _ input: [UInt8], pieces: [Int]) -> ParserRun<P.Event> {
        var parser = parser
        var run = ParserRun<P.Event>()
        var offset = 0
        var cuts = pieces.map { max(1, $0) }
        var bodyTotal = 0
        func add(_ event: P.Event) {
            if let bytes = P.bodyBytes(event) {
                bodyTotal += bytes.count
                if let last = run.events.last, let previous = P.bodyBytes(last) {
                    run.events[run.events.count - 1] = P.body(previous + bytes)
                    return
                }
            }
            if P.isEnd(event) { run.boundaries.append(offset) }
            run.events.append(event)
        }
        do {
            while offset < input.count {
                let n = cuts.isEmpty ? input.count - offset : min(cuts.removeFirst(), input.count - offset)
                parser.append(contentsOf: input[offset..<(offset + n)])
                offset += n
                while let event = try parser.next() { add(event) }
                // The parser never hands out more body than it was given.
                fuzzCheck(bodyTotal <= offset, "body bytes \(bodyTotal) exceed input \(offset)")
            }
            while let event = try parser.finishInput() { add(event) }
        } catch {
            run.error = error
        }
        return run
    }

    /// The same input whole, byte by byte, and cut where its own bytes say, must give
    /// the same outcome: incremental parsing may not depend on how bytes arrive.
    /// Returns the byte-by-byte run, whose boundaries are exact.
    static func checkSplitIndependence<P: FuzzableParser>(_ make: () -> P, _ input: [UInt8]) -> ParserRun<P.Event> {
        let whole = run(make(), input, pieces: [])
        let bytewise = run(make(), input, pieces: Array(repeating: 1, count: input.count))
        let cuts = input.prefix(8).map { Int($0 % 17) + 1 }
        let cut = run(make(), input, pieces: cuts)
        fuzzCheck(whole.events == bytewise.events && whole.error == bytewise.error,
                  "whole vs byte-by-byte: \(whole.events) \(String(describing: whole.error)) / \(bytewise.events) \(String(describing: bytewise.error))")
        fuzzCheck(whole.events == cut.events && whole.error == cut.error,
                  "whole vs cut \(cuts): \(whole.events) \(String(describing: whole.error)) / \(cut.events) \(String(describing: cut.error))")
        return bytewise
    }
}
