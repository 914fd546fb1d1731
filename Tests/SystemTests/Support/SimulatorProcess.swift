import Foundation
import HTTPClient
import TestSupport

/// `evolink-sim` as its own process, on an ephemeral loopback port read from its first
/// stdout line. Time is scaled so a task settles in about a second; callbacks go over
/// HTTPS through the TLS front (trusted with the front's CA), whose loopback address
/// needs the local-development flag.
final class SimulatorProcess: @unchecked Sendable {
    let child: ChildProcess
    let port: Int
    let apiKey: String
    var baseURL: String { "http://127.0.0.1:\(port)" }

    init(directory: TemporaryDirectory, apiKey: String, front: TLSFront, timeScale: Double = 0.1,
         seed: UInt64) throws {
        self.apiKey = apiKey
        let binary = try BuiltBinary.path("evolink-sim")
        child = try ChildProcess(binary, [
            "--listen", "127.0.0.1:0", "--api-key", apiKey, "--time-scale", "\(timeScale)",
            "--public-base-url", front.linkBaseURL, "--callback-ca-file", front.caFile,
            "--allow-insecure-callbacks", "--seed", "\(seed)", "--log-level", "info",
        ], environment: ChildProcess.isolatedEnvironment(), stdout: .file(directory.file("evolink-sim.log")),
           stderr: .file(directory.file("evolink-sim.log")), name: "evolink-sim")
        let line = try child.waitForLine(containing: "listening ", timeout: 15)
        guard line.hasPrefix("listening 127.0.0.1:"), let port = Int(line.split(separator: ":").last ?? ""), port > 0 else {
            throw SystemFailure("evolink-sim: unexpected first line `\(line)`")
        }
        self.port = port
    }

    /// `GET /_sim/stats`.
    func stats(_ http: HTTPClient) async throws -> JSONObject {
        let response = try await http.execute(HTTPClientRequest(url: baseURL + "/_sim/stats"))
        guard response.status == 200 else { throw SystemFailure("sim stats: \(response.status)") }
        return try JSONObject(bytes: response.body)
    }

    /// The provider's view of one task (`GET /v1/tasks/{id}` with the API key).
    func task(_ id: String, _ http: HTTPClient) async throws -> JSONObject {
        let response = try await http.execute(HTTPClientRequest(url: baseURL + "/v1/tasks/" + id,
                                                                headers: ["Authorization": "Bearer \(apiKey)"]))
        guard response.status == 200 else {
            throw SystemFailure("sim task \(id): \(response.status) \(String(decoding: response.body, as: UTF8.self))")
        }
        return try JSONObject(bytes: response.body)
    }

    /// `POST /_sim/faults` with a JSON body.
    func setFaults(_ json: String, _ http: HTTPClient) async throws {
        let response = try await http.execute(HTTPClientRequest(method: "POST", url: baseURL + "/_sim/faults",
                                                                headers: ["Content-Type": "application/json"],
                                                                body: Array(json.utf8)))
        guard response.status == 200 else {
            throw SystemFailure("sim faults: \(response.status) \(String(decoding: response.body, as: UTF8.self))")
        }
    }

    /// Blocking (SIGKILL, then a bounded wait); call it off the pool.
    func stop() { child.stop(signal: SIGKILL) }
}
