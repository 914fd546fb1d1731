/// libFuzzer target: the server's HTTP/1.1 request parser. Besides not crashing, the
/// parser must give the same result however the bytes are split, hand out no more body
/// than it got, keep each message within its framing, restart cleanly at each message
/// boundary of a pipeline, and re-read its own serialization of every message it accepted
/// as the same message.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP1Request(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    let run = ParserFeed.checkSplitIndependence({ HTTPRequestParser() }, input)
    let messages = MessageCheck.messages(run.events.map(requestEventParts))
    for m in messages { MessageCheck.checkFraming(m.head.framing, body: m.body, ended: m.ended) }

    // A pipeline restarts at a boundary: what follows the first message parses the same
    // on a fresh parser as it did after that message.
    if let boundary = run.boundaries.first, let endIndex = run.events.firstIndex(of: .end) {
        let rest = ParserFeed.run(HTTPRequestParser(), Array(input[boundary...]), pieces: [])
        fuzzCheck(Array(run.events[(endIndex + 1)...]) == rest.events && rest.error == run.error,
                  "after boundary \(boundary): \(rest.events) \(String(describing: rest.error))")
    }

    // Round trip: an accepted message, serialized again, is read back as itself.
    for m in messages where m.ended {
        let wire = HTTPSerializer.serialize(m.head) + MessageCheck.reframe(m.head.framing, body: m.body)
        let again = ParserFeed.run(HTTPRequestParser(), wire, pieces: [])
        var expected: [HTTPRequestEvent] = [.head(m.head)]
        if !m.body.isEmpty { expected.append(.body(m.body)) }
        expected.append(.end)
        fuzzCheck(again.error == nil && again.events == expected,
                  "round trip of \(m.head): \(again.events) \(String(describing: again.error))")
    }
    return 0
}

private func requestEventParts(_ e: HTTPRequestEvent) -> (head: HTTPRequestHead?, body: [UInt8]?, end: Bool) {
    switch e {
    case .head(let h): (h, nil, false)
    case .body(let b): (nil, b, false)
    case .end: (nil, nil, true)
    }
}
