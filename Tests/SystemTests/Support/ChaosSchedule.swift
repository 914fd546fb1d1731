import Support
/// Everything random in a chaos run, derived from one seed so a failure can be
/// replayed: the submits (n, size, pacing) and the moments of the kills.
struct ChaosSchedule: Sendable {
    let seed: UInt64
    let plans: [SubmitPlan]
    /// Seconds between the daemon being healthy again and the next SIGKILL.
    let killDelays: [Double]
    /// Per kill: nil, or seconds after the restart's launch at which that fresh process is
    /// killed again, in the middle of its own start-up recovery.
    let startupKills: [Double?]

    init(seed: UInt64, tasks: Int, kills: Int, relayURL: (String) -> String) {
        self.seed = seed
        var rng = SplitMix64(seed: seed)
        // n from 1...4, weighted toward the small end to bound the pixels rendered.
        let nChoices = [1, 1, 2, 2, 3, 4]
        plans = (0..<tasks).map { i in
            let n = nChoices[Int(rng.next() % UInt64(nChoices.count))]
            let (w, h) = SubmitPlan.sizes[Int(rng.next() % UInt64(SubmitPlan.sizes.count))]
            let pause = Double(rng.next() % 1000) / 1000
            let key = "crash-\(seed)-\(i)"
            return SubmitPlan(index: i, idempotencyKey: key, n: n, width: w, height: h, pauseBefore: pause,
                              relayURL: relayURL(key))
        }
        killDelays = (0..<kills).map { _ in 0.25 + Double(rng.next() % 1000) / 1000 }
        // Up to 80 ms: a restart is ready in roughly 30-300 ms, so this lands in its recovery.
        startupKills = (0..<kills).map { _ in rng.next() % 3 == 0 ? Double(rng.next() % 80) / 1000 : nil }
    }
}
