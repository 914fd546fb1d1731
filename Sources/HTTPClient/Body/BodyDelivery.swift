import HTTP1

/// Moves body bytes from the parser to the sink: decodes when asked, counts, and stops
/// with `.tooLarge` before the sink would receive more than `maxBytes`.
final class BodyDelivery {
    private let sink: any HTTPBodySink
    private let maxBytes: Int
    private let decoder: ContentDecoder?
    private(set) var delivered = 0

    init(sink: any HTTPBodySink, maxBytes: Int, decoder: ContentDecoder?) {
        self.sink = sink
        self.maxBytes = maxBytes
        self.decoder = decoder
    }

    var isDecoding: Bool { decoder != nil }

    /// The decoder for a response's `Content-Encoding`, when decoding was asked for.
    /// Anything other than one gzip/deflate layer (or identity) is refused rather than
    /// handed on as if it were plain.
    static func decoder(for headers: HTTPHeaders, enabled: Bool, maxBytes: Int) throws(HTTPClientError) -> ContentDecoder? {
        guard enabled else { return nil }
        let codings = headers.tokens("Content-Encoding").filter { $0 != "identity" }
        if codings.isEmpty { return nil }
        guard codings.count == 1 else {
            throw .protocolError("unsupported stacked content codings \(codings)")
        }
        switch codings[0] {
        case "gzip", "x-gzip": return try ContentDecoder(coding: .gzip, maxOutput: maxBytes)
        case "deflate": return try ContentDecoder(coding: .deflate, maxOutput: maxBytes)
        default: throw .protocolError("unsupported content coding \(codings[0])")
        }
    }

    func receive(_ bytes: [UInt8]) throws(HTTPClientError) {
        if let decoder {
            try decoder.decode(bytes) { (piece) throws(HTTPClientError) in try self.emit(piece) }
        } else {
            var failure: HTTPClientError?
            bytes.withUnsafeBytes { raw in
                do throws(HTTPClientError) { try emit(raw) } catch { failure = error }
            }
            if let failure { throw failure }
        }
    }

    func finish() throws(HTTPClientError) {
        try decoder?.finish()
    }

    private func emit(_ piece: UnsafeRawBufferPointer) throws(HTTPClientError) {
        guard delivered + piece.count <= maxBytes else { throw .tooLarge }
        delivered += piece.count
        do { try sink.write(piece) } catch { throw .sink(String(describing: error)) }
    }
}
