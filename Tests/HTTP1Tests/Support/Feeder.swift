import Testing
@testable import HTTP1
import Support

/// Feeds one input to a fresh parser in many splits (whole, byte by byte, random) and
/// checks that every split yields exactly the expected outcome.
enum Feeder {
    /// How many random splittings each vector is tried with.
    static let randomSplitCount = 6

    /// Runs `bytes` through a parser, appended in pieces of the given sizes, draining
    /// `next()` after every piece; `close` calls `finish()` at the end; `bodyLimit` is
    /// set after every head, as a server would per route.
    static func run<P: FeedableParser>(_ parser: P, _ bytes: [UInt8], pieces: [Int],
                                       close: Bool = false, bodyLimit: Int? = nil) -> FeedOutcome<P.Event> {
        var parser = parser
        var outcome = FeedOutcome<P.Event>(events: [], error: nil)
        func record(_ event: P.Event) {
            if let b = P.bodyBytes(event), let last = outcome.events.last, let prev = P.bodyBytes(last) {
                outcome.events[outcome.events.count - 1] = P.body(prev + b)
            } else {
                outcome.events.append(event)
            }
            if P.isHead(event), let limit = bodyLimit { parser.setBodyLimit(limit) }
        }
        var offset = 0
        do throws(HTTPParseError) {
            for size in pieces {
                parser.append(contentsOf: bytes[offset..<offset + size])
                offset += size
                // Bounded: every event consumes bytes or ends a message.
                for _ in 0...(bytes.count + 8) {
                    guard let event = try parser.next() else { break }
                    record(event)
                }
            }
            if close {
                for _ in 0...(bytes.count + 8) {
                    guard let event = try parser.finish() else { break }
                    record(event)
                }
            }
        } catch {
            outcome.error = error
        }
        return outcome
    }

    /// Piece sizes: whole, byte by byte, then seeded random splits.
    static func splittings(count: Int) -> [(String, [Int])] {
        var result: [(String, [Int])] = [("whole", count == 0 ? [] : [count]),
                                         ("byte by byte", Array(repeating: 1, count: count))]
        for seed in 1...UInt64(randomSplitCount) {
            var rng = SplitMix64(seed: seed &* 7919 &+ UInt64(count))
            var pieces: [Int] = []
            var left = count
            while left > 0 {
                let size = Int.random(in: 1...max(1, min(left, Int.random(in: 1...64, using: &rng))), using: &rng)
                pieces.append(size)
                left -= size
            }
            result.append(("random split #\(seed)", pieces))
        }
        return result
    }

    /// Asserts that every splitting of `bytes` gives `expected`.
    static func expectAllSplits<P: FeedableParser>(
        _ parser: @autoclosure () -> P, _ bytes: [UInt8], _ expected: FeedOutcome<P.Event>,
        close: Bool = false, bodyLimit: Int? = nil, _ name: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for (mode, pieces) in splittings(count: bytes.count) {
            let got = run(parser(), bytes, pieces: pieces, close: close, bodyLimit: bodyLimit)
            #expect(got == expected, "\(name) fed \(mode)", sourceLocation: sourceLocation)
        }
    }
}
