import Testing
@testable import Daemon

@Suite struct MetricsRegistryTests {
    @Test func countersHistogramsAndCollectorsRenderInTextFormat() {
        let registry = MetricsRegistry()
        registry.describeCounter("t_requests_total", help: "Requests.\nSecond line")
        registry.describeHistogram("t_seconds", help: "Latency.", buckets: [0.1, 1])
        registry.increment("t_requests_total", [("route", "/a"), ("status", "200")])
        registry.increment("t_requests_total", [("route", "/a"), ("status", "200")], by: 2)
        registry.increment("t_requests_total", [("route", "say \"hi\"\\\n"), ("status", "500")])
        registry.observe("t_seconds", [("route", "/a")], 0.05)
        registry.observe("t_seconds", [("route", "/a")], 0.5)
        registry.observe("t_seconds", [("route", "/a")], 5)
        registry.addCollector { [.init(name: "t_gauge", help: "G.", labels: [("q", "x")], value: 1.5)] }
        let text = registry.render(extra: [.init(name: "t_gauge", help: "G.", labels: [("q", "y")], value: 2),
                                          .init(name: "t_other", help: "O.", value: 0)])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("# HELP t_requests_total Requests.\\nSecond line"))
        #expect(lines.contains("# TYPE t_requests_total counter"))
        #expect(lines.contains(#"t_requests_total{route="/a",status="200"} 3"#))
        #expect(lines.contains(#"t_requests_total{route="say \"hi\"\\\n",status="500"} 1"#))
        #expect(lines.contains("# TYPE t_seconds histogram"))
        #expect(lines.contains(#"t_seconds_bucket{route="/a",le="0.1"} 1"#))
        #expect(lines.contains(#"t_seconds_bucket{route="/a",le="1"} 2"#))
        #expect(lines.contains(#"t_seconds_bucket{route="/a",le="+Inf"} 3"#))
        #expect(lines.contains(#"t_seconds_sum{route="/a"} 5.55"#))
        #expect(lines.contains(#"t_seconds_count{route="/a"} 3"#))
        // One HELP/TYPE per family and its samples contiguous, even from two sources.
        #expect(lines.filter { $0 == "# TYPE t_gauge gauge" }.count == 1)
        let x = lines.firstIndex(of: #"t_gauge{q="x"} 1.5"#), y = lines.firstIndex(of: #"t_gauge{q="y"} 2"#)
        #expect(x != nil && y == x.map { $0 + 1 })
        #expect(lines.contains("t_other 0"))
    }

    @Test func routeLabelsAreBoundedAndNeverCarryTokens() {
        #expect(RouteLabel.label(for: "/v1/callbacks/s3cr3t-token") == "/v1/callbacks/{token}")
        #expect(RouteLabel.label(for: "/v1/tasks/task-unified-1-abc?x=1") == "/v1/tasks/{id}")
        #expect(RouteLabel.label(for: "/v1/tasks/task-unified-1-abc/retry") == "/v1/tasks/{id}/retry")
        #expect(RouteLabel.label(for: "/v1/tasks/task-unified-1-abc/anything") == "/v1/tasks/{id}/other")
        #expect(RouteLabel.label(for: "/v1/images/generations") == "/v1/images/generations")
        #expect(RouteLabel.label(for: "/v1/images/abc.png") == "/v1/images/{file}")
        #expect(RouteLabel.label(for: "/v1/tasks") == "/v1/tasks")
        #expect(RouteLabel.label(for: "/healthz") == "/healthz")
        #expect(RouteLabel.label(for: "/wp-admin/setup.php") == "other")
        #expect(RouteLabel.label(for: "/v1/zzz") == "/v1/other")
    }
}
