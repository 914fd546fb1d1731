import EvoLink
import EvoLinkSim
import Foundation
import HTTPClient
import Testing
@testable import ImageHook

/// Operator re-drive: a given-up relay and a failed image are listed (admin only,
/// filterable by caller and time) and put back to work; the relay keeps its webhook-id.
@Suite struct RedriveTests {
    static let opsToken = "ops-token-0123456789abcdef0123"

    @Test func givenUpRelayAndFailedImageAreListedAndRedriven() async throws {
        let h = try Harness(tweak: { c in
            c.maxContentFaultAttempts = 1
            c.internalTokens["ops"] = Self.opsToken
            c.callerScopes["ops"] = .admin
        })
        h.relay.failures.withLock { $0 = Array(repeating: 500, count: 1000) }
        try await h.start()
        try h.sim.applyFaults(FaultUpdate(nextTasks: [TaskFaults(image: .forbidden)]))
        let r = try await h.submit(Harness.body(callbackURL: h.relayURL), key: "redrive-1")
        let id = try #require(JSONValue.parse(r.body)?["id"]?.stringValue)
        func call(_ method: String, _ path: String, token: String = Self.opsToken) async throws -> (Int, JSONValue?) {
            let response = try await h.client.execute(HTTPClientRequest(method: method, url: h.internalURL + path,
                                                                        headers: ["Authorization": "Bearer \(token)"]))
            return (response.status, JSONValue.parse(response.body))
        }
        func at(_ v: JSONValue?) -> Double { if case .number(let d)? = v?["at"] { d } else { 0 } }

        // The image failed for good (403): listed, re-driven, downloaded again (the
        // simulator still refuses it, so it fails again: later, with a fresh count).
        #expect(await h.eventually { (try? await call("GET", "/v1/redrive/images").1?["data"]?.arrayValue.count) == 1 })
        let first = try await call("GET", "/v1/redrive/images?caller=tester").1?["data"]?.arrayValue.first
        #expect(first?["task_id"]?.stringValue == id)
        #expect(first?["index"]?.intValue == 0)
        #expect(try await call("GET", "/v1/redrive/images", token: Harness.callerToken).0 == 403)
        #expect(try await call("POST", "/v1/redrive/images?caller=tester").1?["redriven"]?.intValue == 1)
        #expect(await h.eventually {
            let again = try? await call("GET", "/v1/redrive/images").1?["data"]?.arrayValue.first
            return at(again) > at(first) && again?["attempts"]?.intValue == 1
        })

        // The relay: retried for more than 24 h (test clock), then given up.
        #expect(await h.eventually { h.relay.deliveries.withLock { !$0.isEmpty } })
        h.clock.advance(2 * 86_400)
        #expect(await h.eventually { (try? await h.service.ledger().relaysGivenUp) == 1 })
        // Submitters cannot see across callers: re-drive is an operator's tool.
        #expect(try await call("GET", "/v1/redrive/relays", token: Harness.callerToken).0 == 403)
        let relays = try await call("GET", "/v1/redrive/relays?caller=tester")
        #expect(relays.0 == 200)
        let listed = relays.1?["data"]?.arrayValue ?? []
        #expect(listed.count == 1)
        #expect(listed.first?["task_id"]?.stringValue == id)
        #expect(listed.first?["webhook_id"]?.stringValue == "msg_" + id)
        #expect(try await call("GET", "/v1/redrive/relays?caller=someone-else").1?["data"]?.arrayValue.count == 0)
        let future = Int(h.clock.now()) + 3600
        #expect(try await call("GET", "/v1/redrive/relays?since=\(future)").1?["data"]?.arrayValue.count == 0)

        // The submitter is back: the re-driven relay is delivered with the same webhook-id.
        let before = Set(h.relay.deliveries.withLock { $0 }.compactMap { $0.headers["webhook-id"] })
        h.relay.failures.withLock { $0 = [] }
        let redriven = try await call("POST", "/v1/redrive/relays?task=\(id)")
        #expect(redriven.1?["redriven"]?.intValue == 1)
        #expect(await h.eventually { (try? await h.service.ledger().relaysDelivered) == 1 })
        let delivered = try #require(h.relay.deliveries.withLock { $0 }.last)
        #expect(before == ["msg_" + id])
        #expect(delivered.headers["webhook-id"] == "msg_" + id)
        #expect(try await call("GET", "/v1/redrive/relays").1?["data"]?.arrayValue.count == 0)
        #expect(try await h.service.ledger().balanced)
        await h.stop()
    }
}
