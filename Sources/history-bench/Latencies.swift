/// Latency samples in milliseconds, summarised by nearest-rank percentiles.
struct Latencies {
    private(set) var samples: [Double] = []

    mutating func add(_ ms: Double) { samples.append(ms) }
    mutating func add(contentsOf other: Latencies) { samples += other.samples }

    var count: Int { samples.count }

    func percentile(_ p: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        let sorted = samples.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[Swift.min(Swift.max(rank, 0), sorted.count - 1)]
    }

    var maximum: Double { samples.max() ?? 0 }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) * 1e-15
    }
}
