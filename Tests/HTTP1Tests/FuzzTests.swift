import Testing
@testable import HTTP1
import Support

/// Seeded, bounded property tests: generated messages survive a serialize/parse round
/// trip in any split, and mutated bytes give the same outcome (events or the exact
/// error) however they are split, without trapping.
@Suite struct FuzzTests {
    static let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "X-CUSTOM"]
    static let tchars = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~".utf8)
    static let vchars = Array((0x21...0x7E).map { UInt8($0) })
    static let hostChars = Array("abcdefghijklmnopqrstuvwxyz0123456789-.:".utf8)

    static func word(_ alphabet: [UInt8], _ length: ClosedRange<Int>, _ rng: inout SplitMix64) -> String {
        String(decoding: (0..<Int.random(in: length, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }, as: UTF8.self)
    }

    /// A random valid request and the events the parser must produce for it.
    static func randomRequest(_ rng: inout SplitMix64) -> ([UInt8], [HTTPRequestEvent]) {
        var headers: HTTPHeaders = ["Host": word(hostChars, 1...20, &rng)]
        for _ in 0..<Int.random(in: 0...8, using: &rng) {
            let inner = word(vchars + [0x20, 0x09], 0...30, &rng)
            // Field values carry no leading/trailing whitespace after parsing.
            let trimmed = String(decoding: Array(inner.utf8).drop { $0 == 0x20 || $0 == 0x09 }.reversed()
                .drop { $0 == 0x20 || $0 == 0x09 }.reversed(), as: UTF8.self)
            headers.add(name: "X-" + word(tchars, 1...12, &rng), value: trimmed)
        }
        let body = (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let method = methods.randomElement(using: &rng)!
        let target = "/" + word(vchars, 0...40, &rng)
        var head = HTTPRequestHead(method: method, target: target, headers: headers)
        var wire: [UInt8]
        if body.isEmpty && Bool.random(using: &rng) {
            head.framing = .none
            wire = HTTPSerializer.serialize(head)
        } else if Bool.random(using: &rng) {
            head.headers.add(name: "Content-Length", value: String(body.count))
            head.framing = .contentLength(body.count)
            wire = HTTPSerializer.serialize(head) + body
        } else {
            head.headers.add(name: "Transfer-Encoding", value: "chunked")
            head.framing = .chunked
            wire = HTTPSerializer.serialize(head)
            var rest = body[...]
            while !rest.isEmpty {
                let n = Int.random(in: 1...rest.count, using: &rng)
                wire += HTTPSerializer.chunk(rest.prefix(n))
                rest = rest.dropFirst(n)
            }
            wire += HTTPSerializer.lastChunk
        }
        var events: [HTTPRequestEvent] = [.head(head)]
        if !body.isEmpty { events.append(.body(body)) }
        events.append(.end)
        return (wire, events)
    }

    @Test func generatedPipelinesRoundTrip() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<40 {
            var wire: [UInt8] = []
            var events: [HTTPRequestEvent] = []
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let (w, e) = Self.randomRequest(&rng)
                wire += w
                events += e
            }
            Feeder.expectAllSplits(HTTPRequestParser(), wire, FeedOutcome(events: events, error: nil), "generated pipeline")
        }
    }

    @Test func mutatedRequestsAreSplitIndependent() {
        var rng = SplitMix64(seed: 7)
        let interesting: [UInt8] = [0x0D, 0x0A, 0x20, 0x09, 0x00, 0x3A, 0x2C, 0x3B, 0x30, 0x7F, 0xFF, 0x41]
        var errors = 0
        for _ in 0..<300 {
            var (wire, _) = Self.randomRequest(&rng)
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0..<wire.count, using: &rng)
                switch Int.random(in: 0...2, using: &rng) {
                case 0: wire[at] = interesting.randomElement(using: &rng)!
                case 1: wire.insert(interesting.randomElement(using: &rng)!, at: at)
                default: wire.remove(at: at)
                }
                if wire.isEmpty { wire = [0x0D] }
            }
            let whole = Feeder.run(HTTPRequestParser(), wire, pieces: [wire.count])
            if whole.error != nil { errors += 1 }
            for (mode, pieces) in Feeder.splittings(count: wire.count).dropFirst() {
                let got = Feeder.run(HTTPRequestParser(), wire, pieces: pieces)
                #expect(got == whole, "mutated input fed \(mode): \(String(decoding: wire, as: UTF8.self).debugDescription)")
            }
        }
        // The mutations must actually exercise the error paths.
        #expect(errors > 100)
    }

    @Test func mutatedResponsesAreSplitIndependent() {
        var rng = SplitMix64(seed: 11)
        let samples = [
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;e\r\nabc\r\n0\r\nT: 1\r\n\r\n",
            "HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\n\r\nnope",
        ].map { Array($0.utf8) }
        let interesting: [UInt8] = [0x0D, 0x0A, 0x20, 0x00, 0x3A, 0x30, 0x31, 0x7F]
        for i in 0..<300 {
            var wire = samples[i % samples.count]
            let at = Int.random(in: 0..<wire.count, using: &rng)
            if Bool.random(using: &rng) { wire[at] = interesting.randomElement(using: &rng)! } else { wire.remove(at: at) }
            let whole = Feeder.run(HTTPResponseParser(), wire, pieces: [wire.count], close: true)
            for (mode, pieces) in Feeder.splittings(count: wire.count).dropFirst() {
                let got = Feeder.run(HTTPResponseParser(), wire, pieces: pieces, close: true)
                #expect(got == whole, "mutated response fed \(mode): \(String(decoding: wire, as: UTF8.self).debugDescription)")
            }
        }
    }
}
