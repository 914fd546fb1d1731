import Testing
@testable import HTTP1
import Support

@Suite struct HTTPHeadersTests {
    /// The allocation-free token lookup answers exactly like the list parse it replaces.
    @Test func containsTokenAgreesWithTokens() {
        var rng = SplitMix64(seed: 3)
        let pieces = ["close", "Close", "keep-alive", "KEEP-ALIVE", "upgrade", "", " ", "\t", ",", "clos", "closed", "x close"]
        for _ in 0..<500 {
            var h = HTTPHeaders()
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                let value = (0..<Int.random(in: 0...5, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
                h.add(name: Bool.random(using: &rng) ? "Connection" : "connection", value: value)
            }
            for token in ["close", "keep-alive", "Upgrade"] {
                #expect(h.containsToken("CONNECTION", token) == h.tokens("Connection").contains(token.lowercased()), "\(h.fields)")
            }
        }
    }

    @Test func lookupIsCaseInsensitiveAndKeepsOrder() {
        var h: HTTPHeaders = ["Content-Type": "a", "X-A": "1"]
        h.add(name: "x-a", value: "2")
        #expect(h["content-type"] == "a")
        #expect(h.values("X-A") == ["1", "2"])
        h.replaceOrAdd(name: "X-a", value: "3")
        #expect(h.values("x-a") == ["3"])
        #expect(h.fields.map(\.name) == ["Content-Type", "X-a"])
        h.remove(name: "CONTENT-TYPE")
        #expect(!h.contains(name: "content-type") && h.count == 1)
        #expect(!HTTPHeaders.equalsIgnoringCase("Host", "Hos") && HTTPHeaders.equalsIgnoringCase("hOsT", "Host"))
    }
}
