import EvoLink
import EvoLinkSim
import Foundation
import HTTP1
import HTTPClient
import HTTPServer
import Testing
@testable import ImageHook
import Support

@Suite struct HappyPathTests {
    @Test func submitCallbackStoreRelay() async throws {
        // This is the callback path: the first poll is pushed out of reach, or under load
        // the poller can learn of completion before the simulator's callback arrives
        // (a legitimate outcome, but then the callback is a duplicate, not applied).
        let h = try Harness(tweak: { $0.pollGrace = 3600 })
        try await h.start()
        let response = try await h.submit(Harness.body(n: 2, callbackURL: h.relayURL), key: "happy-1")
        #expect(response.status == 200)
        let answer = try #require(JSONValue.parse(response.body))
        let id = try #require(answer["id"]?.stringValue)
        #expect(answer["status"]?.stringValue == "pending")

        let view = try #require(try await h.waitSettled(id))
        #expect(view["status"]?.stringValue == "completed")
        let images = view["images"]?.arrayValue ?? []
        #expect(images.count == 2)
        for image in images {
            #expect(image["state"]?.stringValue == "stored")
            // No disk path, and no provider link once our copy is stored.
            #expect(image["path"] == nil)
            #expect(image["source_url"] == nil)
            // Byte for byte: the stored file equals what the simulator serves.
            let index = try #require(image["index"]?.intValue)
            let source = try #require(h.sim.task(id: id)?.results?[index])
            let original = try await h.client.execute(HTTPClientRequest(url: source))
            let sha = try #require(image["sha256"]?.stringValue)
            let name = try #require(image["url"]?.stringValue?.split(separator: "/").last)
            let stored = try #require(FileManager.default.contents(atPath: h.dir.path + "/images/\(sha.prefix(2))/\(name)"))
            #expect(Array(stored) == original.body)
            #expect(sha == SHA256.hex(original.body))
            // Served back with ETag and immutable caching; 304 on a matching If-None-Match.
            let url = try #require(image["url"]?.stringValue)
            // Images are scoped like tasks: the submitter's own token fetches them.
            #expect(try await h.client.execute(HTTPClientRequest(url: url)).status == 401)
            let auth = "Bearer \(Harness.callerToken)"
            let served = try await h.client.execute(HTTPClientRequest(url: url, headers: ["Authorization": auth]))
            #expect(served.status == 200)
            #expect(served.body == original.body)
            #expect(served.headers["Cache-Control"] == "public, max-age=31536000, immutable")
            let etag = try #require(served.headers["ETag"])
            let again = try await h.client.execute(HTTPClientRequest(url: url, headers: ["If-None-Match": etag,
                                                                                        "Authorization": auth]))
            #expect(again.status == 304)
            let head = try await h.client.execute(HTTPClientRequest(method: "HEAD", url: url, headers: ["Authorization": auth]))
            #expect(head.status == 200)
            #expect(head.headers["Content-Length"] == String(original.body.count))
            // The file is opened by the request's task, never on the connection's event
            // loop: the response carries an opened descriptor, not a path to open.
            let direct = QueryAPI(context: h.service.context).file(name: name, head: HTTPRequestHead(
                method: "GET", target: "/v1/images/\(name)", version: .http1_1, headers: HTTPHeaders(), framing: .none))
            guard case .opened(let opened, 0, original.body.count) = direct.body else {
                Issue.record("image body is \(direct.body), not an opened file")
                continue
            }
            #expect(opened.size == original.body.count)
        }
        // Results rewritten to our URLs.
        let results = view["results"]?.arrayValue.compactMap(\.stringValue) ?? []
        #expect(results.count == 2)
        #expect(results.allSatisfy { $0.hasPrefix(h.internalURL + "/v1/images/") })

        // The relay POST arrived, signed, with our results.
        #expect(await h.eventually { h.relay.deliveries.withLock { !$0.isEmpty } })
        let delivery = try #require(h.relay.deliveries.withLock { $0.first })
        let signer = WebhookSigner(secret: h.relaySecret)
        let msgID = try #require(delivery.headers["webhook-id"])
        let ts = try #require(delivery.headers["webhook-timestamp"].flatMap { Int($0) })
        #expect(signer.verify(id: msgID, timestamp: ts, body: delivery.body,
                              header: delivery.headers["webhook-signature"] ?? ""))
        let relayed = try #require(JSONValue.parse(delivery.body))
        #expect(relayed["id"]?.stringValue == id)
        #expect(relayed["results"]?.arrayValue.compactMap(\.stringValue) == results)

        let ledger = try await h.service.ledger()
        #expect(ledger.balanced)
        #expect(ledger.imagesStored == 2)
        #expect(ledger.imagesExpected == 2)
        #expect(ledger.callbacksApplied == 1)
        #expect(ledger.pollsApplied == 0)
        #expect(ledger.relaysDelivered == 1)
        #expect(h.sim.stats.tasksSubmitted == 1)
        await h.stop()
    }
}
