import Testing
@testable import ImageHook

@Suite struct IdempotencyTests {
    @Test func contract() {
        #expect(IdempotencyDecision.decide(existing: nil, fingerprint: "a", activeHere: false) == .proceed)
        #expect(IdempotencyDecision.decide(existing: ("a", .submitted), fingerprint: "a", activeHere: false) == .replay)
        #expect(IdempotencyDecision.decide(existing: ("a", .rejected), fingerprint: "a", activeHere: false) == .replay)
        #expect(IdempotencyDecision.decide(existing: ("a", .submitted), fingerprint: "b", activeHere: false) == .conflict)
        #expect(IdempotencyDecision.decide(existing: ("a", .submitting), fingerprint: "a", activeHere: true) == .inFlight)
        #expect(IdempotencyDecision.decide(existing: ("a", .ambiguous), fingerprint: "a", activeHere: false) == .resume)
        #expect(IdempotencyDecision.decide(existing: ("a", .submitting), fingerprint: "b", activeHere: true) == .conflict)
    }

    @Test func fingerprintIgnoresKeyOrderAndSpacingButNotCallerOrContent() {
        let a = RequestFingerprint.compute(caller: "svc", body: Array(#"{"model":"m","prompt":"p"}"#.utf8))
        let b = RequestFingerprint.compute(caller: "svc", body: Array(#"{ "prompt": "p", "model": "m" }"#.utf8))
        let c = RequestFingerprint.compute(caller: "other", body: Array(#"{"model":"m","prompt":"p"}"#.utf8))
        let d = RequestFingerprint.compute(caller: "svc", body: Array(#"{"model":"m","prompt":"q"}"#.utf8))
        #expect(a == b)
        #expect(a != c)
        #expect(a != d)
        #expect(a.count == 64)
    }
}
