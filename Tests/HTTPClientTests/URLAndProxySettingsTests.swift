import Testing
@testable import HTTPClient
import Support

@Suite struct URLAndProxySettingsTests {
    @Test func parsesAbsoluteURLs() throws {
        let u = try HTTPURL(parsing: "https://Example.COM:8443/a/b?x=1#frag")
        #expect(u.scheme == "https" && u.host == "example.com" && u.port == 8443 && u.target == "/a/b?x=1")
        #expect(u.authority == "example.com:8443")
        let v6 = try HTTPURL(parsing: "http://[::1]/")
        #expect(v6.host == "::1" && v6.port == 80 && v6.authority == "[::1]" && v6.isIPLiteral)
        #expect(try HTTPURL(parsing: "https://h?q").target == "/?q")
    }

    @Test(arguments: ["ftp://h/", "https://user:pw@h/", "https://h:0/", "https://h:99999/", "https:///x",
                      "https://h/a b", "https://h:80x/", "https://[zz]/", "/relative", "https://ex%61mple.com/"])
    func rejectsBadURLs(_ text: String) {
        #expect(throws: HTTPClientError.self) { try HTTPURL(parsing: text) }
    }

    @Test func resolvesRelativeLocations() throws {
        let base = try HTTPURL(parsing: "https://h.example/a/b/c?q=1")
        #expect(try base.resolving("/x").description == "https://h.example/x")
        #expect(try base.resolving("d").description == "https://h.example/a/b/d")
        #expect(try base.resolving("../d?z").description == "https://h.example/a/d?z")
        #expect(try base.resolving("?n=2").description == "https://h.example/a/b/c?n=2")
        #expect(try base.resolving("//other.example/p").description == "https://other.example/p")
        #expect(try base.resolving("http://o.example:81/").description == "http://o.example:81/")
        #expect(try base.resolving("/../../x").description == "https://h.example/x")
    }

    @Test func proxySettingsFromEnvironment() {
        let s = ProxySettings.fromEnvironment([
            "HTTPS_PROXY": "http://proxy.corp:3128", "https_proxy": "http://user:p%40ss@lower.corp:8080",
            "NO_PROXY": "localhost, .internal.corp,10.0.0.0/8, example.org:443",
        ])
        #expect(s.httpsProxy?.host == "lower.corp" && s.httpsProxy?.port == 8080)
        #expect(s.httpsProxy?.credentials == "user:p@ss")
        #expect(s.httpsProxy?.description == "http://lower.corp:8080")  // no credentials
        #expect(s.httpProxy == nil)
        #expect(s.proxy(scheme: "https", host: "api.evolink.ai") != nil)
        #expect(s.proxy(scheme: "http", host: "api.evolink.ai") == nil)
        for bypass in ["localhost", "a.internal.corp", "internal.corp", "10.1.2.3", "example.org", "www.example.org"] {
            #expect(s.proxy(scheme: "https", host: bypass) == nil, "\(bypass)")
        }
        for proxied in ["notinternal.corp", "11.0.0.1", "example.org.evil"] {
            #expect(s.proxy(scheme: "https", host: proxied) != nil, "\(proxied)")
        }
        #expect(ProxySettings.fromEnvironment(["HTTPS_PROXY": "http://p:1", "NO_PROXY": "*"])
            .proxy(scheme: "https", host: "x") == nil)
        #expect(ProxySettings.fromEnvironment(["HTTPS_PROXY": "https://p:1"]).httpsProxy == nil)
    }

    @Test func base64() {
        #expect(Base64.encode(Array("user:pass".utf8)) == "dXNlcjpwYXNz")
        #expect(Base64.encode(Array("a".utf8)) == "YQ==")
        #expect(Base64.encode(Array("ab".utf8)) == "YWI=")
    }
}
