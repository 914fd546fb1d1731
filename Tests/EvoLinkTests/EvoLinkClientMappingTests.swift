import Foundation
import HTTP1
import HTTPClient
import Logging
import Testing
@testable import EvoLink

/// The provider client's request shape and its mapping of every documented answer.
struct EvoLinkClientMappingTests {
    static let pending = #"{"id":"task-unified-1757156493-imcg5zqt","status":"pending","usage":{"credits_reserved":1},"task_info":{"estimated_time":30}}"#

    func client(_ steps: [ScriptedTransport.Step]) -> (EvoLinkClient, ScriptedTransport) {
        let t = ScriptedTransport(steps)
        let c = EvoLinkClient(configuration: EvoLinkClientConfiguration(baseURL: "https://api.example/", apiKey: "sk-secret"),
                              transport: t, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        return (c, t)
    }

    func submitError(_ step: ScriptedTransport.Step) async -> EvoLinkError? {
        let (c, _) = client([step])
        do {
            _ = try await c.submit(GenerationRequest(prompt: "p"), idempotencyKey: "k1")
            return nil
        } catch { return error }
    }

    @Test func submitSendsBearerJSONAndIdempotencyKey() async throws {
        let (c, t) = client([.respond(200, [("x-request-id", "req-1")], Self.pending)])
        let (task, raw) = try await c.submit(GenerationRequest(prompt: "p", n: 2), idempotencyKey: "job-42")
        #expect(task.status == .pending && task.usage?.creditsReserved == 1)
        #expect(raw == Array(Self.pending.utf8))
        let r = try #require(t.requests.first)
        #expect(r.method == "POST")
        #expect(r.url == "https://api.example/v1/images/generations")
        #expect(r.headers["Authorization"] == "Bearer sk-secret")
        #expect(r.headers["Idempotency-Key"] == "job-42")
        #expect(r.headers["Content-Type"] == "application/json")
        #expect(try GenerationRequest.decodeValidated(r.body) == GenerationRequest(prompt: "p", n: 2))
    }

    @Test func invalidRequestIsNotSent() async {
        let (c, t) = client([])
        await #expect(throws: EvoLinkError.invalidRequest(.invalidValue(field: "n", reason: "must be an integer in [1, 4]"))) {
            _ = try await c.submit(GenerationRequest(prompt: "p", n: 9), idempotencyKey: nil)
        }
        #expect(t.requests.isEmpty)
    }

    @Test func taskIDIsCheckedBeforeSending() async throws {
        let (c, t) = client([.respond(200, [], #"{"id":"task-unified-1-a","status":"processing","progress":40}"#)])
        await #expect(throws: EvoLinkError.invalidTaskID("../admin")) { _ = try await c.task(id: "../admin") }
        #expect(t.requests.isEmpty)
        let (task, _) = try await c.task(id: "task-unified-1-a")
        #expect(task.progress == 40)
        #expect(t.requests.first?.url == "https://api.example/v1/tasks/task-unified-1-a")
        #expect(t.requests.first?.method == "GET")
    }

    @Test func answerForAnotherTaskIsRefused() async {
        let (c, _) = client([.respond(200, [], #"{"id":"task-unified-2-b","status":"pending"}"#)])
        await #expect(throws: EvoLinkError.self) { _ = try await c.task(id: "task-unified-1-a") }
    }

    @Test func documentedStatusesMapToTypedErrors() async throws {
        func env(_ code: String, _ param: String? = nil) -> String {
            #"{"error":{"code":"\#(code)","message":"m","type":"t"\#(param.map { #","param":"\#($0)""# } ?? "")}}"#
        }
        let e400 = await submitError(.respond(400, [], env("invalid_request", "size")))
        guard case .badRequest(let i)? = e400 else { Issue.record("\(String(describing: e400))"); return }
        #expect(i.code == "invalid_request" && i.param == "size" && i.status == 400)
        #expect(e400?.isRetryable == false)

        if case .unauthorized? = await submitError(.respond(401, [], env("unauthorized"))) {} else { Issue.record("401") }
        if case .insufficientQuota? = await submitError(.respond(402, [], env("insufficient_quota"))) {} else { Issue.record("402") }
        if case .forbidden? = await submitError(.respond(403, [], env("model_access_denied"))) {} else { Issue.record("403") }
        if case .notFound? = await submitError(.respond(404, [], env("task_not_found"))) {} else { Issue.record("404") }
        if case .idempotencyConflict? = await submitError(.respond(409, [], env("idempotency_conflict"))) {} else { Issue.record("409") }

        let e429 = await submitError(.respond(429, [("Retry-After", "7"), ("x-oneapi-request-id", "r9")], env("rate_limit_exceeded")))
        #expect(e429?.retryAfter == 7)
        #expect(e429?.isRetryable == true)
        #expect(e429?.providerInfo?.requestID == "r9")

        let e503 = await submitError(.respond(503, [], "<html>bad gateway</html>"))
        guard case .serverError(let info, nil)? = e503 else { Issue.record("503"); return }
        #expect(info.code == nil && info.raw == Array("<html>bad gateway</html>".utf8))
        #expect(e503?.isRetryable == true)

        let e500 = await submitError(.respond(500, [], #"{"error":{"code":500,"message":"x"}}"#))
        #expect(e500?.providerInfo?.code == "500")

        if case .unexpectedStatus? = await submitError(.respond(302, [], "")) {} else { Issue.record("302") }
        if case .malformedResponse? = await submitError(.respond(200, [], "{\"ok\":true}")) {} else { Issue.record("bad 200") }
    }

    @Test func networkFailuresSayWhetherTheRequestMayHaveBeenSent() async {
        let refused = await submitError(.fail(.connect("connection refused")))
        #expect(refused == .network(.connect("connection refused"), ambiguous: false))
        #expect(refused?.mayHaveBeenSent == false && refused?.isRetryable == true)
        let dns = await submitError(.fail(.dns("no such host")))
        #expect(dns?.mayHaveBeenSent == false)
        let connectTimeout = await submitError(.fail(.timeout(phase: "connect")))
        #expect(connectTimeout?.mayHaveBeenSent == false)
        let afterSend = await submitError(.fail(.timeout(phase: "firstByte")))
        #expect(afterSend == .network(.timeout(phase: "firstByte"), ambiguous: true))
        #expect(afterSend?.mayHaveBeenSent == true)
        #expect(await submitError(.fail(.truncated))?.mayHaveBeenSent == true)
        #expect(await submitError(.fail(.io("reset")))?.mayHaveBeenSent == true)
        #expect(await submitError(.fail(.tls("unknown issuer")))?.isRetryable == false)
    }

    @Test func retryAfterParsesSecondsAndDates() {
        #expect(RetryAfter.parse("120") == 120)
        #expect(RetryAfter.parse(" 3 ") == 3)
        #expect(RetryAfter.parse(nil) == nil)
        #expect(RetryAfter.parse("-1") == nil)
        #expect(RetryAfter.parse("soon") == nil)
        let now = Date(timeIntervalSince1970: 1_000_000_000)  // Sun, 09 Sep 2001 01:46:40 GMT
        #expect(RetryAfter.parse("Sun, 09 Sep 2001 01:47:40 GMT", now: now) == 60)
        #expect(RetryAfter.parse("Sun, 09 Sep 2001 01:40:00 GMT", now: now) == 0)
    }

    @Test func configurationNeverPrintsTheKey() {
        let c = EvoLinkClientConfiguration(apiKey: "sk-very-secret")
        #expect(!"\(c)".contains("sk-very-secret"))
    }
}
