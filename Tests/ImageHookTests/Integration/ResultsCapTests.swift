import EvoLink
import EvoLinkSim
import Foundation
import Store
import Testing
@testable import ImageHook

/// Every link in a report's `results` becomes a download of a URL someone else chose:
/// no more jobs than the submitted `n`.
@Suite struct ResultsCapTests {
    @Test func aReportWithMoreLinksThanNCreatesAtMostNJobs() async throws {
        var simConfig = Harness.fastSim()
        simConfig.faults.dropCallback = 1  // only the forged callback below arrives
        let h = try Harness(sim: simConfig, tweak: { $0.pollGrace = 3600 })
        try await h.start()
        let submit = try await h.submit(Harness.body(n: 2), key: "cap-1")
        #expect(submit.status == 200)
        let id = try #require(JSONValue.parse(submit.body)?["id"]?.stringValue)
        let token = try await h.callbackToken(key: "cap-1")
        let links = (0..<6).map { JSONValue.string("http://127.0.0.1:9/extra-\($0).png") }
        let forged = JSONValue.object([("id", .string(id)), ("object", .string("image.generation.task")),
                                       ("status", .string("completed")), ("progress", .int(100)),
                                       ("results", .array(links))])
        let answer = try await h.postCallback(token: token, body: forged.encoded())
        #expect(answer.status == 200)
        let jobs = try await h.service.database.read { try DownloadJobRepository.jobs(taskID: id, in: $0) }
        #expect(jobs.map(\.index) == [0, 1])
        #expect(jobs.map(\.url) == ["http://127.0.0.1:9/extra-0.png", "http://127.0.0.1:9/extra-1.png"])
        await h.stop()
    }

    @Test func requestedCountFollowsTheStoredRequest() {
        #expect(RequestedImageCount.of(Array(#"{"n":3}"#.utf8)) == 3)
        #expect(RequestedImageCount.of(Array(#"{"n":9}"#.utf8)) == 4)
        #expect(RequestedImageCount.of(Array(#"{"prompt":"x"}"#.utf8)) == 4)
        #expect(RequestedImageCount.of(Array("not json".utf8)) == 4)
    }
}
