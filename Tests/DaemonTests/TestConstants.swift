import Foundation
@testable import Daemon

let longToken = String(repeating: "a1b2c3d4", count: 5)
let relaySecretText = String(repeating: "r", count: 40)

/// The loader as a local run without an API key uses it: `provider = simulator` from the
/// environment (the daemon never picks the simulator by itself), so a test about other
/// keys sees only their problems; the file text and its line numbers stay as written.
func loadLocally(_ text: String, _ environment: [String: String] = [:]) -> ConfigLoadResult {
    ConfigLoader.load(text: text, environment: ["IMAGEHOOK_PROVIDER": "simulator"].merging(environment) { $1 })
}

/// The embedded defaults with provider = simulator: what `loadLocally("")` yields.
let localDefaults: DaemonConfiguration = {
    var c = DaemonConfiguration()
    c.provider = .simulator
    return c
}()
