import Foundation

/// The seed of a randomised system run (fed to Support's SplitMix64), so a failing chaos
/// run can be replayed with the seed it printed (`IMAGEHOOK_SYSTEM_SEED=<n>`).
enum SystemSeed {
    /// The seed from the environment when given (to replay a run), else a fresh one.
    static func fromEnvironment() -> UInt64 {
        if let text = ProcessInfo.processInfo.environment["IMAGEHOOK_SYSTEM_SEED"], let seed = UInt64(text) {
            return seed
        }
        return UInt64.random(in: 1...UInt64.max)
    }
}
