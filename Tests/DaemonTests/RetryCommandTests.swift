import Foundation
import HTTPClient
import Testing
@testable import Daemon
import TestSupport

@Suite struct RetryCommandTests {
    @Test func retryRequeuesFailedDownloadsUntilStored() async throws {
        let dir = TemporaryDirectory()
        let daemon = try DaemonProcess(arguments: ["serve"], environment: [
            "IMAGEHOOK_PUBLIC_LISTEN": "127.0.0.1:0", "IMAGEHOOK_INTERNAL_LISTEN": "127.0.0.1:0",
            "IMAGEHOOK_DATA_DIR": dir.path + "/data", "IMAGEHOOK_SIMULATOR_TIME_SCALE": "0.05",
            "IMAGEHOOK_DOWNLOAD_MAX_ATTEMPTS": "1", "IMAGEHOOK_READYZ_MIN_FREE_BYTES": "0",
            "IMAGEHOOK_SHUTDOWN_TIMEOUT": "3s",
        ])
        let ready = try await daemon.waitForLine(containing: "msg=ready")
        let port = try #require(DaemonProcess.field("internal_port", in: ready))
        let simLine = try await daemon.waitForLine(containing: "component=simulator listener=evolink-sim")
        let simPort = try #require(DaemonProcess.field("port", in: simLine))
        func faults(_ json: String) async throws {
            let r = try await HTTPProbe.client.execute(HTTPClientRequest(
                method: "POST", url: "http://127.0.0.1:\(simPort)/_sim/faults", body: Array(json.utf8)))
            #expect(r.status == 200)
        }
        try await faults(#"{"rates":{"image_server_error":1}}"#)
        let env = ["IMAGEHOOK_URL": "http://127.0.0.1:\(port)", "IMAGEHOOK_TOKEN_FILE": dir.path + "/data/dev-token"]
        let cli = CLIEndToEndTests()
        let (status, out, err) = await cli.cli(["submit", "a storm", "--size", "1024x1024", "--wait", "--wait-timeout", "60"],
                                        environment: env)
        #expect(status == 2, "\(out)\(err)")
        #expect(err.contains("1 image(s) not stored"))
        let (_, listOut, _) = await cli.cli(["tasks", "--json"], environment: env)
        let list = try JSONSerialization.jsonObject(with: Data(listOut.utf8)) as? [String: Any]
        let id = try #require((list?["data"] as? [[String: Any]])?.first?["id"] as? String)

        try await faults(#"{"rates":{"image_server_error":0}}"#)
        let (retryStatus, retryOut, retryErr) = await cli.cli(["retry", id], environment: env)
        #expect(retryStatus == 0, "\(retryErr)")
        #expect(retryOut.contains("1 download(s) re-queued"))
        var shown = ""
        for _ in 0..<150 where !shown.contains("stored http") {  // at most ~30 s
            shown = await cli.cli(["show", id], environment: env).1
            if !shown.contains("stored http") { try await Task.sleep(nanoseconds: 200_000_000) }
        }
        // Our URL for the image, never its path on the daemon's disk.
        #expect(shown.contains("image 0:   stored http://127.0.0.1:"), "\(shown)")
        #expect(shown.contains("/v1/images/") && !shown.contains(dir.path), "\(shown)")
        let (unknownStatus, _, unknownErr) = await cli.cli(["retry", "task-unified-0-none"], environment: env)
        #expect(unknownStatus == 2 && unknownErr.contains("404"))
        #expect(await daemon.signalAndWait(SIGTERM, timeout: 15) == 0)
    }
}
