import Foundation
import Support

/// A small Prometheus registry: general counters and histograms, sources that keep
/// their own figures (`RequestMetrics`), plus gauges computed at scrape time by
/// collectors (ledger, queue depths).
/// Rendered in the text exposition format 0.0.4.
public final class MetricsRegistry: Sendable {
    public typealias Labels = [(String, String)]

    /// A gauge or counter sample produced by a collector at scrape time.
    public struct Sample: Sendable {
        public var name: String
        public var help: String
        public var type: String  // "gauge" or "counter"
        public var labels: [(String, String)]
        public var value: Double

        public init(name: String, help: String, type: String = "gauge", labels: [(String, String)] = [], value: Double) {
            self.name = name
            self.help = help
            self.type = type
            self.labels = labels
            self.value = value
        }
    }

    /// Latency buckets in seconds: from a cached /healthz to a slow durable commit.
    public static let latencyBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct Family {
        var help: String
        var type: String
        var values: [String: Double] = [:]              // rendered labels -> value
        var histograms: [String: HistogramState] = [:]  // rendered labels -> state
        var buckets: [Double] = []
    }

    private struct HistogramState {
        var counts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0
    }

    private struct State {
        var families: [String: Family] = [:]
        var order: [String] = []
        var collectors: [@Sendable () -> [Sample]] = []
        var sources: [any MetricsSource] = []
    }
    private let state = Locked(State())

    public init() {}

    public func describeCounter(_ name: String, help: String) { describe(name, help: help, type: "counter") }

    public func describeHistogram(_ name: String, help: String, buckets: [Double] = MetricsRegistry.latencyBuckets) {
        describe(name, help: help, type: "histogram")
        state.withLock { $0.families[name]?.buckets = buckets.sorted() }
    }

    private func describe(_ name: String, help: String, type: String) {
        state.withLock { state in
            guard state.families[name] == nil else { return }
            state.families[name] = Family(help: help, type: type)
            state.order.append(name)
        }
    }

    public func increment(_ name: String, _ labels: Labels = [], by amount: Double = 1) {
        let key = Self.render(labels)
        state.withLock { state in
            if state.families[name] == nil {
                state.families[name] = Family(help: name, type: "counter")
                state.order.append(name)
            }
            state.families[name]!.values[key, default: 0] += amount
        }
    }

    public func observe(_ name: String, _ labels: Labels = [], _ value: Double) {
        let key = Self.render(labels)
        state.withLock { state in
            if state.families[name] == nil {
                state.families[name] = Family(help: name, type: "histogram", buckets: Self.latencyBuckets)
                state.order.append(name)
            }
            let buckets = state.families[name]!.buckets
            var histogram = state.families[name]!.histograms[key]
                ?? HistogramState(counts: Array(repeating: 0, count: buckets.count))
            for (i, bound) in buckets.enumerated() where value <= bound { histogram.counts[i] += 1 }
            histogram.sum += value
            histogram.count += 1
            state.families[name]!.histograms[key] = histogram
        }
    }

    /// Registers a closure called on every scrape.
    public func addCollector(_ collector: @escaping @Sendable () -> [Sample]) {
        state.withLock { $0.collectors.append(collector) }
    }

    /// Registers families that render themselves (request metrics), placed after the
    /// registry's own families on every scrape.
    public func addSource(_ source: any MetricsSource) {
        state.withLock { $0.sources.append(source) }
    }

    /// The exposition text; `extra` are samples gathered asynchronously by the caller.
    public func render(extra: [Sample] = []) -> String {
        let (snapshot, names, collectorList, sourceList) = state.withLock { ($0.families, $0.order, $0.collectors, $0.sources) }
        var out = ""
        for name in names {
            guard let family = snapshot[name] else { continue }
            out += "# HELP \(name) \(Self.escapeHelp(family.help))\n# TYPE \(name) \(family.type)\n"
            if family.type == "histogram" {
                for key in family.histograms.keys.sorted() {
                    let state = family.histograms[key]!
                    for (i, bound) in family.buckets.enumerated() {
                        out += "\(name)_bucket\(Self.merge(key, "le", Self.format(bound))) \(state.counts[i])\n"
                    }
                    out += "\(name)_bucket\(Self.merge(key, "le", "+Inf")) \(state.count)\n"
                    out += "\(name)_sum\(key) \(Self.format(state.sum))\n"
                    out += "\(name)_count\(key) \(state.count)\n"
                }
            } else {
                for key in family.values.keys.sorted() {
                    out += "\(name)\(key) \(Self.format(family.values[key]!))\n"
                }
            }
        }
        for source in sourceList { source.render(into: &out) }
        var described: Set<String> = []
        // Samples of one family must be contiguous in the text format.
        let samples = collectorList.flatMap { $0() } + extra
        var familyOrder: [String] = []
        var byName: [String: [Sample]] = [:]
        for sample in samples {
            if byName[sample.name] == nil { familyOrder.append(sample.name) }
            byName[sample.name, default: []].append(sample)
        }
        for sample in familyOrder.flatMap({ byName[$0]! }) {
            if described.insert(sample.name).inserted {
                out += "# HELP \(sample.name) \(Self.escapeHelp(sample.help))\n# TYPE \(sample.name) \(sample.type)\n"
            }
            out += "\(sample.name)\(Self.render(sample.labels)) \(Self.format(sample.value))\n"
        }
        return out
    }

    // MARK: text format helpers

    static func render(_ labels: Labels) -> String {
        guard !labels.isEmpty else { return "" }
        return "{" + labels.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
    }

    static func merge(_ rendered: String, _ name: String, _ value: String) -> String {
        let extra = "\(name)=\"\(value)\""
        if rendered.isEmpty { return "{\(extra)}" }
        return String(rendered.dropLast()) + ",\(extra)}"
    }

    /// Label values escape `\`, `"` and newline (exposition format).
    static func escapeLabel(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func escapeHelp(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
