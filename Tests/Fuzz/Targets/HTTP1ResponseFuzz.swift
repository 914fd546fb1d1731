/// libFuzzer target: the response parser the downloader and the provider client read
/// with. The first byte picks the request method the response answers (GET, HEAD or
/// CONNECT change the framing rules); the rest is what the peer sent, then it closes.
/// Same invariants as the request target: split independence, no more body than input,
/// framing kept, and an accepted response re-read as itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP1Response(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let all = fuzzInput(data, size)
    guard let selector = all.first else { return 0 }
    let method = ["GET", "HEAD", "CONNECT", "POST"][Int(selector % 4)]
    let input = Array(all.dropFirst())
    func make() -> HTTPResponseParser {
        var p = HTTPResponseParser()
        p.setRequestMethod(method)
        return p
    }
    let run = ParserFeed.checkSplitIndependence(make, input)
    let messages = MessageCheck.messages(run.events.map(responseEventParts))
    for (index, m) in messages.enumerated() {
        MessageCheck.checkFraming(m.head.framing, body: m.body, ended: m.ended)
        if (index == 0 && method == "HEAD") || m.head.status == 204 || m.head.status == 304 {
            fuzzCheck(m.body.isEmpty, "a body on a \(method) \(m.head.status) response")
        }
        fuzzCheck((200...999).contains(m.head.status) || m.head.status == 101,
                  "interim status \(m.head.status) returned as the response")
    }
    // The method applies to the first response only, so only it is re-read under it.
    if let m = messages.first, m.ended {
        let wire = HTTPSerializer.serialize(m.head) + MessageCheck.reframe(m.head.framing, body: m.body)
        let again = ParserFeed.run(make(), wire, pieces: [])
        var expected: [HTTPResponseEvent] = [.head(m.head)]
        if !m.body.isEmpty { expected.append(.body(m.body)) }
        expected.append(.end)
        fuzzCheck(again.error == nil && again.events == expected,
                  "round trip of \(m.head): \(again.events) \(String(describing: again.error))")
    }
    return 0
}

private func responseEventParts(_ e: HTTPResponseEvent) -> (head: HTTPResponseHead?, body: [UInt8]?, end: Bool) {
    switch e {
    case .head(let h): (h, nil, false)
    case .body(let b): (nil, b, false)
    case .end: (nil, nil, true)
    }
}
