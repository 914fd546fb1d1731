import Testing
@testable import Daemon

@Suite struct RequestMetricsTests {
    @Test func recordedRequestsRenderUnderTheExistingNamesAndLabels() {
        let metrics = RequestMetrics(listeners: ["public", "internal"], buckets: [0.001, 0.01])
        metrics.record(listener: 0, route: .callback, method: .post, status: 200, bytes: 2, durationNanoseconds: 1_500_000)
        metrics.record(listener: 0, route: .callback, method: .post, status: 200, bytes: 3, durationNanoseconds: 500_000)
        metrics.record(listener: 0, route: .callback, method: .post, status: 409, bytes: 40, durationNanoseconds: 20_000_000)
        metrics.record(listener: 1, route: .healthz, method: .get, status: 200, bytes: 15, durationNanoseconds: 100_000)
        metrics.record(listener: 1, route: .other, method: MethodLabel("BREW"), status: 404, bytes: 0,
                       durationNanoseconds: 100_000)
        metrics.record(listener: 7, route: .other, method: .get, status: 200, bytes: 0, durationNanoseconds: 0)  // ignored

        let registry = MetricsRegistry()
        registry.addSource(metrics)
        let lines = registry.render().split(separator: "\n").map(String.init)
        let callback = #"listener="public",route="/v1/callbacks/{token}",method="POST""#
        #expect(lines.contains(#"imagehook_http_requests_total{\#(callback),status="200"} 2"#))
        #expect(lines.contains(#"imagehook_http_requests_total{\#(callback),status="409"} 1"#))
        #expect(lines.contains(#"imagehook_http_requests_total{listener="internal",route="/healthz",method="GET",status="200"} 1"#))
        #expect(lines.contains(#"imagehook_http_requests_total{listener="internal",route="other",method="other",status="404"} 1"#),
                "unknown methods share one label value")
        // Buckets are cumulative and the sum is in seconds.
        #expect(lines.contains(#"imagehook_http_request_duration_seconds_bucket{\#(callback),le="0.001"} 1"#))
        #expect(lines.contains(#"imagehook_http_request_duration_seconds_bucket{\#(callback),le="0.01"} 2"#))
        #expect(lines.contains(#"imagehook_http_request_duration_seconds_bucket{\#(callback),le="+Inf"} 3"#))
        #expect(lines.contains(#"imagehook_http_request_duration_seconds_sum{\#(callback)} 0.022"#))
        #expect(lines.contains(#"imagehook_http_request_duration_seconds_count{\#(callback)} 3"#))
        #expect(lines.contains(#"imagehook_http_response_bytes_total{listener="public",route="/v1/callbacks/{token}"} 45"#))
        #expect(lines.contains(#"imagehook_http_response_bytes_total{listener="internal",route="/healthz"} 15"#))
        // One HELP/TYPE per family, and a series only once it was seen.
        #expect(lines.filter { $0 == "# TYPE imagehook_http_requests_total counter" }.count == 1)
        #expect(lines.filter { $0 == "# TYPE imagehook_http_request_duration_seconds histogram" }.count == 1)
        #expect(!lines.contains { $0.contains(#"route="/readyz""#) })
        #expect(lines.filter { $0.hasPrefix("imagehook_http_requests_total{") }.count == 4)
    }

    @Test func sourcesRenderAfterTheRegistryFamiliesAndBeforeCollectors() {
        let registry = MetricsRegistry()
        registry.describeCounter("a_total", help: "A.")
        registry.increment("a_total")
        registry.addCollector { [.init(name: "z_gauge", help: "Z.", value: 1)] }
        let metrics = RequestMetrics(listeners: ["public"])
        metrics.record(listener: 0, route: .tasks, method: .get, status: 200, bytes: 1, durationNanoseconds: 1)
        registry.addSource(metrics)
        let text = registry.render()
        let a = text.range(of: "a_total 1")!.lowerBound
        let requests = text.range(of: "imagehook_http_requests_total{")!.lowerBound
        let z = text.range(of: "z_gauge 1")!.lowerBound
        #expect(a < requests && requests < z)
    }

    @Test func methodLabelsAreBounded() {
        #expect(MethodLabel("GET").label == "GET")
        #expect(MethodLabel("OPTIONS").label == "OPTIONS")
        #expect(MethodLabel("-").label == "-")
        #expect(MethodLabel("get").label == "other", "methods are case-sensitive (RFC 9110 §9.1)")
        #expect(MethodLabel(String(repeating: "X", count: 100)).label == "other")
    }

    @Test func seriesKeysRoundTrip() {
        let key = RequestSeriesKey(listener: 1, route: .taskOther, method: .unparsed, status: 503)
        #expect(key.listener == 1 && key.route == .taskOther && key.method == .unparsed && key.status == 503)
        #expect(RequestSeriesKey(listener: 0, route: .other, method: .get, status: 12345).status == 999)
    }
}
