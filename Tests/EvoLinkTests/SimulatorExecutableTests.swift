import EvoLinkSim
import Foundation
import HTTPClient
import TestSupport
import Testing

/// The `evolink-sim` executable as a second process: it prints the bound address first,
/// serves the control endpoint, and exits cleanly on SIGTERM.
struct SimulatorExecutableTests {
    @Test func printsListeningLineServesAndStopsOnSIGTERM() async throws {
        let path = try BuiltBinary.path("evolink-sim")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evolink-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let faults = dir.appendingPathComponent("faults.json")
        try Data(#"{"next_tasks":[{"cancel":true}]}"#.utf8).write(to: faults)
        let process = try ChildProcess(path, [
            "--listen", "127.0.0.1:0", "--api-key", "sk-a", "--time-scale", "0.1",
            "--fail-task-rate", "1", "--fail-codes", "generation_timeout", "--log-level", "error",
            "--faults-file", faults.path,
        ], stderr: .discard)
        let line = try await offPool { try process.waitForLine(containing: "listening", timeout: 30) }
        let first = try #require(process.stdout.split(separator: "\n").first)
        #expect(first == line && first.hasPrefix("listening 127.0.0.1:"))
        let port = try #require(Int(first.split(separator: ":").last ?? ""))
        #expect(port > 0)

        let http = HTTPClient(configuration: HTTPClientConfiguration(allowPlainHTTP: true, addressPolicy: .trusted))
        let base = "http://127.0.0.1:\(port)"
        let unauth = try await http.execute(HTTPClientRequest(method: "POST", url: base + "/v1/images/generations",
                                                              body: Array(#"{"model":"wan2.5-text-to-image","prompt":"p"}"#.utf8)))
        #expect(unauth.status == 401)
        func submitAndWait(for text: String) async throws -> Bool {
            let ok = try await http.execute(HTTPClientRequest(method: "POST", url: base + "/v1/images/generations",
                                                              headers: ["Authorization": "Bearer sk-a"],
                                                              body: Array(#"{"model":"wan2.5-text-to-image","prompt":"p"}"#.utf8)))
            #expect(ok.status == 200)
            let id = try JSONDecoder().decode([String: AnyCodableID].self, from: Data(ok.body))["id"]?.value ?? ""
            return await eventually {
                let r = try? await http.execute(HTTPClientRequest(url: base + "/v1/tasks/\(id)", headers: ["Authorization": "Bearer sk-a"]))
                return r.map { String(decoding: $0.body, as: UTF8.self).contains(text) } ?? false
            }
        }
        // The faults file's per-task fault comes first, then the rate flags apply.
        #expect(try await submitAndWait(for: #""status":"cancelled""#))
        #expect(try await submitAndWait(for: "generation_timeout"))
        let stats = try await http.execute(HTTPClientRequest(url: base + "/_sim/stats"))
        let decoded = try JSONDecoder().decode(SimStats.self, from: Data(stats.body))
        #expect(decoded.tasksSubmitted == 2 && decoded.submitsRejected == 1)
        #expect(decoded.tasksCancelled == 1 && decoded.tasksFailed == 1)

        process.signal(SIGTERM)
        #expect(await process.exited(within: 30) == .exited(0))
    }
}

/// Decodes any JSON value, keeping strings (to pick `id` out of a task body).
struct AnyCodableID: Decodable {
    var value: String?
    init(from decoder: any Decoder) throws {
        value = try? decoder.singleValueContainer().decode(String.self)
    }
}
