import HTTP1
import HTTPClient
import Testing
@testable import ImageHook

/// `GET /v1/ledger` tells how much is generated and billed: bearer token required.
@Suite struct LedgerAccessTests {
    @Test func ledgerRequiresAToken() async throws {
        let h = try Harness()
        try await h.start()
        for headers: HTTPHeaders in [[:], ["Authorization": "Bearer wrong"]] {
            let r = try await h.client.execute(HTTPClientRequest(method: "GET", url: h.internalURL + "/v1/ledger",
                                                                 headers: headers))
            #expect(r.status == 401, "\(headers)")
            #expect(!String(decoding: r.body, as: UTF8.self).contains("balanced"))
        }
        let ok = try await h.get("/v1/ledger")
        #expect(ok.status == 200)
        #expect(String(decoding: ok.body, as: UTF8.self).contains("balanced"))
        let post = try await h.client.execute(HTTPClientRequest(method: "POST", url: h.internalURL + "/v1/ledger",
                                                                headers: ["Authorization": "Bearer \(Harness.callerToken)"]))
        #expect(post.status == 405)
        await h.stop()
    }
}
