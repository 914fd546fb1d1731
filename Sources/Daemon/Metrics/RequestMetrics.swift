import Foundation
import Support

/// The daemon's request metrics (`imagehook_http_requests_total`,
/// `imagehook_http_request_duration_seconds`, `imagehook_http_response_bytes_total`),
/// fed once per answered request by the HTTP server's observer hook.
///
/// Every request passes through `record`, so it does no string work: listener, route and
/// method arrive as small integers, the histograms and byte counters live in flat arrays
/// allocated up front (one slot per listener x route x method), and only the
/// per-status counter needs a lookup, by one packed integer. Everything is taken under
/// one short lock. Label values are rendered and escaped only when `/metrics` is scraped.
public final class RequestMetrics: MetricsSource, Sendable {
    /// Listener names, in the order of the indices passed to `record`.
    public let listeners: [String]
    /// Upper bounds of the latency buckets, seconds.
    public let buckets: [Double]
    private let bucketNanoseconds: [UInt64]

    private struct State {
        var requests: [RequestSeriesKey: UInt64] = [:]
        /// Per histogram slot: `buckets.count + 1` non-cumulative counts (the last one
        /// is above every bound), cumulated at render time.
        var bucketCounts: [UInt64]
        var durationSums: [UInt64]  // nanoseconds
        var responseBytes: [UInt64]  // per listener x route
    }

    private let state: Locked<State>

    private static let routes = RouteLabel.allCases.count
    private static let methods = MethodLabel.allCases.count

    public init(listeners: [String], buckets: [Double] = MetricsRegistry.latencyBuckets) {
        self.listeners = listeners
        self.buckets = buckets.sorted()
        bucketNanoseconds = self.buckets.map { UInt64(($0 * 1e9).rounded()) }
        let slots = listeners.count * Self.routes * Self.methods
        state = Locked(State(bucketCounts: Array(repeating: 0, count: slots * (buckets.count + 1)),
                      durationSums: Array(repeating: 0, count: slots),
                      responseBytes: Array(repeating: 0, count: listeners.count * Self.routes)))
    }


    /// Counts one answered request. Cheap enough for every request: no allocation once
    /// a (listener, route, method, status) series exists.
    public func record(listener: Int, route: RouteLabel, method: MethodLabel, status: Int, bytes: Int,
                       durationNanoseconds: UInt64) {
        guard listener >= 0, listener < listeners.count else { return }
        let slot = Self.slot(listener: listener, route: route, method: method)
        let bucket = bucketNanoseconds.firstIndex { durationNanoseconds <= $0 } ?? bucketNanoseconds.count
        let key = RequestSeriesKey(listener: listener, route: route, method: method, status: status)
        let bytesSlot = listener * Self.routes + Int(route.rawValue)
        let width = bucketNanoseconds.count + 1
        state.withLock { state in
            state.requests[key, default: 0] += 1
            state.bucketCounts[slot * width + bucket] += 1
            state.durationSums[slot] &+= durationNanoseconds
            state.responseBytes[bytesSlot] &+= UInt64(clamping: bytes)
        }
    }

    private static func slot(listener: Int, route: RouteLabel, method: MethodLabel) -> Int {
        (listener * routes + Int(route.rawValue)) * methods + Int(method.rawValue)
    }

    // MARK: exposition

    public func render(into out: inout String) {
        let snapshot = state.withLock { $0 }
        let width = buckets.count + 1
        let bounds = buckets.map { MetricsRegistry.format($0) }

        let requests = DaemonMetrics.requests
        out += "# HELP \(requests) HTTP requests answered, by listener, route, method and status.\n"
        out += "# TYPE \(requests) counter\n"
        for key in snapshot.requests.keys.sorted() {
            let labels = labelText(listener: key.listener, route: key.route, method: key.method)
            out += "\(requests){\(labels),status=\"\(key.status)\"} \(snapshot.requests[key]!)\n"
        }

        let duration = DaemonMetrics.requestDuration
        out += "# HELP \(duration) Time from request start to response written, seconds.\n"
        out += "# TYPE \(duration) histogram\n"
        var routesSeen = Set<Int>()
        for listener in listeners.indices {
            for route in RouteLabel.allCases {
                for method in MethodLabel.allCases {
                    let slot = Self.slot(listener: listener, route: route, method: method)
                    let counts = snapshot.bucketCounts[slot * width ..< (slot + 1) * width]
                    let total = counts.reduce(0, +)
                    guard total > 0 else { continue }
                    routesSeen.insert(listener * Self.routes + Int(route.rawValue))
                    let labels = labelText(listener: listener, route: route, method: method)
                    var cumulative: UInt64 = 0
                    for (i, count) in counts.dropLast().enumerated() {
                        cumulative += count
                        out += "\(duration)_bucket{\(labels),le=\"\(bounds[i])\"} \(cumulative)\n"
                    }
                    out += "\(duration)_bucket{\(labels),le=\"+Inf\"} \(total)\n"
                    let seconds = Double(snapshot.durationSums[slot]) / 1e9
                    out += "\(duration)_sum{\(labels)} \(MetricsRegistry.format(seconds))\n"
                    out += "\(duration)_count{\(labels)} \(total)\n"
                }
            }
        }

        let bytes = DaemonMetrics.responseBytes
        out += "# HELP \(bytes) Response bytes sent, by listener and route.\n"
        out += "# TYPE \(bytes) counter\n"
        for index in routesSeen.sorted() {
            let listener = index / Self.routes
            let route = RouteLabel(rawValue: UInt8(index % Self.routes)) ?? .other
            let labels = MetricsRegistry.render([("listener", listeners[listener]), ("route", route.label)])
            out += "\(bytes)\(labels) \(snapshot.responseBytes[index])\n"
        }
    }

    private func labelText(listener: Int, route: RouteLabel, method: MethodLabel) -> String {
        String(MetricsRegistry.render([("listener", listeners[listener]), ("route", route.label),
                                       ("method", method.label)]).dropFirst().dropLast())
    }
}
