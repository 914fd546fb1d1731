import Foundation
import Testing
@testable import EvoLink

/// The documented JSON shapes decode, keep what matters, and survive a round trip.
struct WireFormatTests {
    func decode(_ text: String) throws -> TaskDetail { try TaskDetail.decode(Array(text.utf8)) }

    func roundTrips(_ t: TaskDetail) throws {
        #expect(try TaskDetail.decode(t.encoded()) == t)
    }

    @Test func completedExample() throws {
        let t = try decode("""
        {"created":1756817821,"id":"task-unified-1756817821-4x3rx6ny","model":"wan2.5-text-to-image",
         "object":"image.generation.task","progress":100,"results":["https://cdn.example/a.png"],
         "status":"completed","task_info":{"can_cancel":false},"type":"image"}
        """)
        #expect(t.status == .completed && t.status.isTerminal)
        #expect(t.results == ["https://cdn.example/a.png"])
        #expect(t.taskInfo?.canCancel == false)
        #expect(t.progress == 100 && t.created == 1756817821)
        #expect(!t.isCancelled)
        try roundTrips(t)
    }

    @Test func failedWithoutErrorType() throws {
        let t = try decode("""
        {"id":"task-unified-1772618027-cmeisy8h","object":"image.generation.task","status":"failed",
         "model":"wan2.5-text-to-image","progress":0,
         "error":{"code":"content_policy_violation","message":"Content policy violation. ..."}}
        """)
        #expect(t.status == .failed)
        #expect(t.error == TaskError(code: "content_policy_violation", message: "Content policy violation. ..."))
        #expect(t.error?.isRetryable == false)
        try roundTrips(t)
    }

    @Test func failedWithoutAnyError() throws {
        let t = try decode(#"{"id":"task-unified-1-a","status":"failed"}"#)
        #expect(t.error == nil && t.status == .failed && !t.isCancelled)
        try roundTrips(t)
    }

    @Test func pendingCreateResponseWithUsageAndTaskInfo() throws {
        let t = try decode("""
        {"created":1757156493,"id":"task-unified-1757156493-imcg5zqt","model":"wan2.5-text-to-image",
         "object":"image.generation.task","progress":0,"status":"pending",
         "task_info":{"can_cancel":true,"estimated_time":30},"type":"image",
         "usage":{"billing_rule":"per_call","credits_reserved":1,"user_group":"default"}}
        """)
        #expect(t.status == .pending && !t.status.isTerminal)
        #expect(t.taskInfo == TaskInfo(canCancel: true, estimatedTime: 30))
        #expect(t.usage == Usage(billingRule: "per_call", creditsReserved: 1, userGroup: "default"))
        try roundTrips(t)
    }

    @Test func integerErrorCodeIsNormalisedToString() throws {
        let t = try decode(#"{"id":"task-unified-1-a","status":"failed","error":{"code":500,"message":"x","type":"task_error"}}"#)
        #expect(t.error?.code == "500")
        #expect(t.error?.type == "task_error")
        let env = APIErrorEnvelope.decode(Array(#"{"error":{"code":401,"message":"no"}}"#.utf8))
        #expect(env?.error.code == "401")
    }

    @Test func unknownExtraFieldsAreIgnored() throws {
        let t = try decode("""
        {"id":"task-unified-1-a","status":"completed","results":["https://x/1.png"],
         "result_data":[{"url":"https://x/1.png"}],"request_id":"r1","billing":{"x":1},
         "usage":{"credits_used":1,"credits_reserved":2.5},"future":null}
        """)
        #expect(t.usage?.creditsReserved == 2.5)
        #expect(t.results?.count == 1)
    }

    @Test func cancelledBothWays() throws {
        let a = try decode(#"{"id":"task-unified-1-a","status":"cancelled"}"#)
        #expect(a.isCancelled && a.status.isTerminal)
        let b = try decode(#"{"id":"task-unified-1-a","status":"failed","error":{"code":"request_cancelled"}}"#)
        #expect(b.isCancelled)
        try roundTrips(a)
        try roundTrips(b)
    }

    @Test func strictAboutReliedOnFields() {
        #expect(throws: WireDecodingError.missingField("id")) { try decode(#"{"status":"pending"}"#) }
        #expect(throws: WireDecodingError.missingField("status")) { try decode(#"{"id":"task-unified-1-a"}"#) }
        #expect((try? decode(#"{"id":"task-unified-1-a","status":"exploded"}"#)) == nil)
        #expect((try? decode(#"{"id":"task-unified-1-a","status":"completed","results":[1]}"#)) == nil)
        #expect((try? decode(#"{"id":7,"status":"pending"}"#)) == nil)
        #expect((try? decode("not json")) == nil)
    }

    @Test func lenientNumbersAndErrorWithoutCode() throws {
        let t = try decode(#"{"id":"task-unified-1-a","status":"processing","progress":42.0,"created":1.7e9,"error":{"message":"m"}}"#)
        #expect(t.progress == 42 && t.created == 1_700_000_000)
        #expect(t.error?.code == TaskError.fallbackCode)
    }

    @Test func statusOrderOnlyMovesForward() {
        #expect(TaskStatus.pending < .processing)
        #expect(TaskStatus.processing < .completed && TaskStatus.processing < .failed && TaskStatus.processing < .cancelled)
        #expect(!(TaskStatus.completed < .failed) && !(TaskStatus.failed < .completed))
        #expect(TaskStatus.allCases.filter(\.isTerminal) == [.completed, .failed, .cancelled])
    }

    @Test func taskIDShape() {
        #expect(TaskDetail.isValidID("task-unified-1756817821-4x3rx6ny"))
        #expect(!TaskDetail.isValidID("task-unified-"))
        #expect(!TaskDetail.isValidID("task-1756817821"))
        #expect(!TaskDetail.isValidID("task-unified-1/../../admin"))
        #expect(!TaskDetail.isValidID("task-unified-1?x=1"))
        #expect(!TaskDetail.isValidID("task-unified-" + String(repeating: "a", count: 200)))
    }
}
