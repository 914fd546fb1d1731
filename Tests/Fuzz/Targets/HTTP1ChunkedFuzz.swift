/// libFuzzer target: the chunked body decoder (RFC 9112 §7.1). The input is the body of a
/// `Transfer-Encoding: chunked` request; the harness puts the head in front so every
/// execution reaches the chunk states. The decoded bytes are checked against an
/// independent, deliberately simple decoder: whenever the parser accepts the body, the
/// reference must decode the same bytes; and re-chunking those bytes must read back the
/// same.
private let chunkedHead = Array("POST /c HTTP/1.1\r\nHost: fuzz\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP1Chunked(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let body = fuzzInput(data, size)
    let input = chunkedHead + body
    let run = ParserFeed.checkSplitIndependence({ HTTPRequestParser() }, input)
    var decoded: [UInt8] = []
    var ended = false
    for e in run.events {
        switch e {
        case .head: break
        case .body(let b) where !ended: decoded += b
        case .body: break
        case .end: ended = true
        }
        if ended { break }
    }
    fuzzCheck(decoded.count <= body.count, "decoded \(decoded.count) bytes from \(body.count)")
    if ended {
        let boundary = run.boundaries[0] - chunkedHead.count
        fuzzCheck(ReferenceChunked.decode(Array(body[..<boundary])) == decoded,
                  "reference decoder disagrees on \(boundary) body bytes")
        let again = ParserFeed.run(HTTPRequestParser(), chunkedHead + HTTPSerializer.chunk(decoded) + HTTPSerializer.lastChunk, pieces: [])
        var expected: [HTTPRequestEvent] = []
        if !decoded.isEmpty { expected.append(.body(decoded)) }
        expected.append(.end)
        fuzzCheck(again.error == nil && Array(again.events.dropFirst()) == expected, "re-chunked body read back differently")
    }
    return 0
}
