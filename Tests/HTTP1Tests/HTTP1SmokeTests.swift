import Testing
@testable import HTTP1

@Test func connectionTokensAreCaseInsensitiveLists() {
    let h: HTTPHeaders = ["Connection": "Keep-Alive, Upgrade", "connection": " close "]
    #expect(h.tokens("CONNECTION") == ["keep-alive", "upgrade", "close"])
    #expect(HTTPRequestHead(method: "GET", target: "/", headers: h).keepAlive == false)
}
