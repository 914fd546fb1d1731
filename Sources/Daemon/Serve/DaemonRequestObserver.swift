import HTTPServer

/// What the daemon does with every answered request, told by its listener's server:
/// classify the route once, count it, and write the access line. One observer per
/// listener, so the listener's index is known up front rather than looked up.
struct DaemonRequestObserver: HTTPServerObserver {
    let listener: Int
    let metrics: RequestMetrics
    let accessLog: AccessLog

    func requestCompleted(_ record: HTTPRequestRecord) {
        let route = RouteLabel.route(for: record.path)
        metrics.record(listener: listener, route: route, method: MethodLabel(record.method), status: record.status,
                       bytes: record.bytes, durationNanoseconds: record.durationNanoseconds)
        accessLog.write(record, route: route)
    }
}
