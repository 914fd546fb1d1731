import Testing
@testable import HTTPClient

@Suite struct DecisionTests {
    let base = try! HTTPURL(parsing: "https://h.example/a")

    @Test func redirectsFollowedOnlyForSafeMethodsWithinTheLimit() throws {
        #expect(RedirectDecision.evaluate(status: 302, method: "GET", location: "/b", current: base,
                                          redirectsSoFar: 0, maxRedirects: 3) == .follow(try HTTPURL(parsing: "https://h.example/b")))
        #expect(RedirectDecision.evaluate(status: 302, method: "POST", location: "/b", current: base,
                                          redirectsSoFar: 0, maxRedirects: 3) == .deliver)
        #expect(RedirectDecision.evaluate(status: 200, method: "GET", location: "/b", current: base,
                                          redirectsSoFar: 0, maxRedirects: 3) == .deliver)
        #expect(RedirectDecision.evaluate(status: 301, method: "GET", location: nil, current: base,
                                          redirectsSoFar: 0, maxRedirects: 3) == .deliver)
        #expect(RedirectDecision.evaluate(status: 302, method: "GET", location: "/b", current: base,
                                          redirectsSoFar: 0, maxRedirects: 0) == .deliver)
        #expect(RedirectDecision.evaluate(status: 307, method: "HEAD", location: "/b", current: base,
                                          redirectsSoFar: 3, maxRedirects: 3) == .fail(.tooManyRedirects(3)))
        guard case .fail(.refusedByPolicy) = RedirectDecision.evaluate(
            status: 308, method: "GET", location: "http://h.example/", current: base,
            redirectsSoFar: 0, maxRedirects: 3) else { Issue.record("https->http not refused"); return }
    }

    @Test func reuseOnlyAfterACompleteKeepAliveResponse() {
        let ok = ConnectionReuse.Observation(poolingEnabled: true, responseComplete: true, responseKeepAlive: true,
                                             bodyUntilClose: false, leftoverBytes: false, status: 200)
        #expect(ConnectionReuse.decide(ok))
        var o = ok; o.responseComplete = false; #expect(!ConnectionReuse.decide(o))
        o = ok; o.responseKeepAlive = false; #expect(!ConnectionReuse.decide(o))
        o = ok; o.bodyUntilClose = true; #expect(!ConnectionReuse.decide(o))
        o = ok; o.leftoverBytes = true; #expect(!ConnectionReuse.decide(o))
        o = ok; o.poolingEnabled = false; #expect(!ConnectionReuse.decide(o))
    }

    @Test func retryOnlyIdempotentBeforeAnyResponseByteOnce() {
        #expect(ConnectionReuse.mayRetry(reusedConnection: true, receivedResponseBytes: false, idempotent: true,
                                         attempt: 0, error: .io("reset")))
        #expect(!ConnectionReuse.mayRetry(reusedConnection: true, receivedResponseBytes: false, idempotent: false,
                                          attempt: 0, error: .io("reset")))
        #expect(!ConnectionReuse.mayRetry(reusedConnection: true, receivedResponseBytes: true, idempotent: true,
                                          attempt: 0, error: .truncated))
        #expect(!ConnectionReuse.mayRetry(reusedConnection: false, receivedResponseBytes: false, idempotent: true,
                                          attempt: 0, error: .io("reset")))
        #expect(!ConnectionReuse.mayRetry(reusedConnection: true, receivedResponseBytes: false, idempotent: true,
                                          attempt: 1, error: .io("reset")))
        #expect(!ConnectionReuse.mayRetry(reusedConnection: true, receivedResponseBytes: false, idempotent: true,
                                          attempt: 0, error: .timeout(phase: "firstByte")))
    }

    @Test func retryabilityOfErrors() {
        #expect(HTTPClientError.timeout(phase: "idle").isRetryable)
        #expect(HTTPClientError.truncated.isRetryable)
        #expect(HTTPClientError.dns("x").isRetryable)
        #expect(!HTTPClientError.refusedByPolicy("x").isRetryable)
        #expect(!HTTPClientError.tls("unknown issuer").isRetryable)
        #expect(!HTTPClientError.tooLarge.isRetryable)
        #expect(HTTPClientError.tls("hostname mismatch").description.contains("hostname mismatch"))
    }
}
