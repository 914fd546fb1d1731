import Testing
import Support

@Suite struct Base64Tests {
    /// RFC 4648 §10 test vectors.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    @Test func encodesTheRFCVectors() {
        for (plain, encoded) in Self.vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
        }
    }

    @Test func decodesTheRFCVectorsWithAndWithoutPadding() {
        for (plain, encoded) in Self.vectors {
            #expect(Base64.decode(encoded) == Array(plain.utf8))
            #expect(Base64.decode(String(encoded.filter { $0 != "=" })) == Array(plain.utf8))
        }
    }

    @Test func decodeRefusesWhatNoEncodingProduces() {
        #expect(Base64.decode("Zm9v!") == nil)      // not in the alphabet
        #expect(Base64.decode("Zm9v-_") == nil)     // URL-safe symbols are not standard base64
        #expect(Base64.decode("Z") == nil)          // one symbol cannot carry a byte
        #expect(Base64.decode("Zg===") == nil)      // at most two padding symbols
    }

    @Test func urlEncodingUsesTheURLSafeAlphabetUnpadded() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF, 0xFE]
        #expect(Base64.encode(bytes) == "+/+//g==")
        #expect(Base64.urlEncode(bytes) == "-_-__g")
    }

    @Test func everyByteValueRoundTrips() {
        let bytes = (0...255).map { UInt8($0) }
        for length in 0...bytes.count where length % 37 == 0 || length < 4 {
            let slice = Array(bytes.prefix(length))
            #expect(Base64.decode(Base64.encode(slice)) == slice)
        }
    }
}
