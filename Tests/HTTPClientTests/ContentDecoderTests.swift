import Testing
@testable import HTTPClient

@Suite struct ContentDecoderTests {
    static let text: [UInt8] = Array((0..<5000).map { "line \($0) of some compressible text\n" }.joined().utf8)

    /// Feeds `input` in pieces of `step` bytes and collects the output.
    func decode(_ input: [UInt8], coding: ContentDecoder.Coding, max: Int = 1 << 30, step: Int = 7) throws(HTTPClientError) -> [UInt8] {
        let decoder = try ContentDecoder(coding: coding, maxOutput: max)
        var out: [UInt8] = []
        var i = 0
        while i < input.count {
            let piece = Array(input[i..<min(i + step, input.count)])
            try decoder.decode(piece) { out.append(contentsOf: $0) }
            i += step
        }
        try decoder.finish()
        return out
    }

    @Test func gzipZlibAndRawDeflateDecodeInSmallPieces() throws {
        #expect(try decode(Compression.gzip(Self.text), coding: .gzip) == Self.text)
        #expect(try decode(Compression.compress(Self.text, windowBits: 15), coding: .deflate) == Self.text)
        #expect(try decode(Compression.compress(Self.text, windowBits: -15), coding: .deflate, step: 1000) == Self.text)
        #expect(try decode(Compression.compress(Self.text, windowBits: -15), coding: .deflate, step: 1) == Self.text)
    }

    @Test func concatenatedGzipMembers() throws {
        let a = Array("hello ".utf8), b = Array("world".utf8)
        #expect(try decode(Compression.gzip(a) + Compression.gzip(b), coding: .gzip) == a + b)
    }

    @Test func decompressionBombStopsAtTheCap() throws {
        let bomb = Compression.gzip([UInt8](repeating: 0, count: 50_000_000))
        #expect(bomb.count < 100_000)
        let decoder = try ContentDecoder(coding: .gzip, maxOutput: 1_000_000)
        var received = 0
        #expect(throws: HTTPClientError.tooLarge) {
            try decoder.decode(bomb) { received += $0.count }
        }
        #expect(received <= 1_000_000)
    }

    @Test func truncatedOrCorruptStreamsFail() throws {
        let gz = Compression.gzip(Self.text)
        #expect(throws: HTTPClientError.truncated) {
            _ = try decode(Array(gz[..<(gz.count / 2)]), coding: .gzip)
        }
        var corrupt = gz
        corrupt[20] ^= 0xff
        corrupt[21] ^= 0xff
        #expect(throws: HTTPClientError.self) { _ = try decode(corrupt, coding: .gzip) }
        #expect(throws: HTTPClientError.self) { _ = try decode(gz + [1, 2, 3], coding: .gzip) }
    }
}
