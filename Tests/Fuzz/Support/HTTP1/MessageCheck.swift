/// One message cut out of a parser's events: its head, its body bytes, and whether its
/// `.end` came.
struct ParsedMessage<Head> {
    var head: Head
    var body: [UInt8] = []
    var ended = false
}

enum MessageCheck {
    /// Splits events into messages, checking their grammar on the way: every message is
    /// one head, then body, then end, and nothing comes between an end and a head.
    static func messages<Head>(_ events: [(head: Head?, body: [UInt8]?, end: Bool)]) -> [ParsedMessage<Head>] {
        var out: [ParsedMessage<Head>] = []
        for e in events {
            if let head = e.head {
                fuzzCheck(out.last.map(\.ended) ?? true, "a head before the previous message ended")
                out.append(ParsedMessage(head: head))
            } else if let body = e.body {
                fuzzCheck(!(out.last.map(\.ended) ?? true), "body outside a message")
                fuzzCheck(!body.isEmpty, "an empty body event")
                out[out.count - 1].body += body
            } else if e.end {
                fuzzCheck(!(out.last.map(\.ended) ?? true), "end outside a message")
                out[out.count - 1].ended = true
            }
        }
        return out
    }

    /// The body a finished message may have under its framing.
    static func checkFraming(_ framing: HTTPBodyFraming, body: [UInt8], ended: Bool) {
        switch framing {
        case .none:
            fuzzCheck(body.isEmpty, "a body on a message framed as none")
        case .contentLength(let n):
            fuzzCheck(n >= 0, "negative Content-Length \(n)")
            fuzzCheck(ended ? body.count == n : body.count <= n, "Content-Length \(n) but \(body.count) body bytes")
        case .chunked, .untilClose:
            break
        }
    }

    /// The wire form of a body under the framing the parser reported for it.
    static func reframe(_ framing: HTTPBodyFraming, body: [UInt8]) -> [UInt8] {
        switch framing {
        case .none, .contentLength, .untilClose: body
        case .chunked: HTTPSerializer.chunk(body) + HTTPSerializer.lastChunk
        }
    }
}
