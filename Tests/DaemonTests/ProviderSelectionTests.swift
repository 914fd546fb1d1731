import Foundation
import TestSupport
import Testing
@testable import Daemon

/// `provider = evolink | simulator`: the simulator is only ever an explicit choice, the
/// real provider without a key is a configuration error, and a running daemon says
/// which one it talks to.
@Suite struct ProviderSelectionTests {
    @Test func aConfigLessRunIsTheRealProviderAndNeedsAKey() {
        let result = ConfigLoader.load(text: "", environment: [:])
        #expect(result.configuration.provider == .evolink)
        #expect(!result.configuration.isSimulatorMode)
        let missing = result.problems.first { $0.key == "provider_api_key_file" }
        #expect(missing?.message.contains("required with provider = evolink") == true, "\(result.problems)")
        #expect(missing?.message.contains("IMAGEHOOK_PROVIDER=simulator") == true, "says how to run locally")
    }

    @Test func theSimulatorIsChosenByTheKeyOrItsVariable() {
        let fromFile = ConfigLoader.load(text: "provider = simulator", environment: [:])
        #expect(fromFile.problems.isEmpty, "\(fromFile.problems)")
        #expect(fromFile.configuration.isSimulatorMode)
        let fromEnvironment = ConfigLoader.load(text: "provider = evolink", environment: ["IMAGEHOOK_PROVIDER": "Simulator"])
        #expect(fromEnvironment.problems.isEmpty, "\(fromEnvironment.problems)")
        #expect(fromEnvironment.configuration.isSimulatorMode)
        #expect(fromEnvironment.origins["provider"] == .environment("IMAGEHOOK_PROVIDER"))
    }

    @Test func anUnknownProviderIsAProblemOnItsLine() {
        let result = ConfigLoader.load(text: "\nprovider = fake", environment: [:])
        let problem = result.problems.first { $0.key == "provider" }
        #expect(problem?.line == 2)
        #expect(problem?.message.contains("evolink or simulator") == true)
    }

    /// A key on disk does not turn the real provider on by itself any more, and does not
    /// turn the simulator off: the choice is the `provider` key.
    @Test func aKeyFileDoesNotOverrideTheChoice() {
        let result = ConfigLoader.load(text: "provider = simulator\nprovider_api_key_file = cred:evolink-api-key",
                                       environment: [:])
        #expect(result.configuration.isSimulatorMode)
    }

    @Test func checkConfigAndServeRefuseEvolinkWithoutAKey() async throws {
        let dir = TemporaryDirectory()
        for command in ["check-config", "serve"] {
            // No --config and no file at the default path: the config-less run.
            let daemon = try DaemonProcess(arguments: [command], environment: [
                "IMAGEHOOK_CONFIG": dir.file("absent.conf"), "IMAGEHOOK_DATA_DIR": dir.path + "/data",
                "IMAGEHOOK_PUBLIC_LISTEN": "127.0.0.1:0", "IMAGEHOOK_INTERNAL_LISTEN": "127.0.0.1:0",
            ], provider: nil)
            #expect(await daemon.waitForExit(timeout: 30) == 78, "\(command): \(daemon.stderr)")
            #expect(daemon.stderr.contains("provider_api_key_file: required with provider = evolink"), "\(daemon.stderr)")
            #expect(!daemon.stderr.contains("msg=ready"), "\(command) must not start")
        }
    }

    @Test func theLogAndReadyzNameTheSimulator() async throws {
        let dir = TemporaryDirectory()
        let daemon = try DaemonProcess(arguments: ["serve"], environment: [
            "IMAGEHOOK_PUBLIC_LISTEN": "127.0.0.1:0", "IMAGEHOOK_INTERNAL_LISTEN": "127.0.0.1:0",
            "IMAGEHOOK_DATA_DIR": dir.path + "/data", "IMAGEHOOK_READYZ_MIN_FREE_BYTES": "0",
        ], provider: "simulator")
        let ready = try await daemon.waitForLine(containing: "msg=ready")
        #expect(ready.contains(" provider=simulator "), "\(ready)")
        #expect(daemon.stderr.contains("SIMULATOR MODE"))
        let port = try #require(DaemonProcess.field("internal_port", in: ready))
        let readyz = try await HTTPProbe.get("http://127.0.0.1:\(port)/readyz")
        #expect(readyz.body.contains(#""provider":"simulator""#), "\(readyz.body)")
        #expect(await daemon.signalAndWait(SIGTERM, timeout: 15) == 0)
    }

    @Test func readinessReportsNameTheProvider() {
        let report = ReadinessProbe.Report(provider: .evolink, checks: [("store", true, "writable")])
        let body = String(decoding: report.json, as: UTF8.self)
        #expect(body == #"{"status":"ready","provider":"evolink","checks":{"store":{"ok":true,"detail":"writable"}}}"#)
    }
}
