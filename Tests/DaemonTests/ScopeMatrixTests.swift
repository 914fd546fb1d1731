import Foundation
import HTTP1
import HTTPClient
import Testing
import TestSupport
@testable import Daemon

/// Every internal route against every scope, on a real daemon (simulator mode): a
/// submitter sees and acts on only its own task and image (another's answer 404, like
/// an unknown id), an admin on all, a missing token gets 401 on task data while metrics,
/// health, readiness and the ledger stay open; then a token removed by SIGHUP is refused
/// on every route from the next request on.
@Suite struct ScopeMatrixTests {
    @Test func everyRouteAgainstEveryScopeAndARevokedToken() async throws {
        let dir = TemporaryDirectory()
        let alice = String(repeating: "a", count: 40), bob = String(repeating: "b", count: 40)
        let ops = String(repeating: "o", count: 40)
        // alice's line has no scope: the legacy default, submitter.
        let tokens = dir.write("tokens", "alice:\(alice)\nbob:\(bob):submitter\nops:\(ops):admin\n")
        let daemon = try DaemonProcess(arguments: ["serve"], environment: [
            "IMAGEHOOK_PUBLIC_LISTEN": "127.0.0.1:0", "IMAGEHOOK_INTERNAL_LISTEN": "127.0.0.1:0",
            "IMAGEHOOK_DATA_DIR": dir.path + "/data", "IMAGEHOOK_SIMULATOR_TIME_SCALE": "0.05",
            "IMAGEHOOK_READYZ_MIN_FREE_BYTES": "0", "IMAGEHOOK_SHUTDOWN_TIMEOUT": "3s",
            "IMAGEHOOK_INTERNAL_TOKENS_FILE": tokens,
        ])
        let ready = try await daemon.waitForLine(containing: "msg=ready")
        let base = "http://127.0.0.1:\(try #require(DaemonProcess.field("internal_port", in: ready)))"
        func call(_ token: String?, _ method: String, _ path: String, body: [UInt8] = [],
                  key: String? = nil) async throws -> HTTPClientResponse {
            var headers = HTTPHeaders()
            if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
            if let key { headers.add(name: "Idempotency-Key", value: key) }
            if !body.isEmpty { headers.add(name: "Content-Type", value: "application/json") }
            return try await HTTPProbe.client.execute(.init(method: method, url: base + path, headers: headers, body: body))
        }
        let request = Array(#"{"model":"wan2.5-text-to-image","prompt":"scoped fox","size":"1024x1024","n":1}"#.utf8)
        let submitted = try await call(alice, "POST", "/v1/images/generations", body: request, key: "scope-1")
        #expect(submitted.status == 200)
        let id = try #require((try JSONSerialization.jsonObject(with: Data(submitted.body)) as? [String: Any])?["id"] as? String)
        var sha = ""
        for _ in 0..<300 where sha.isEmpty {   // at most ~60 s
            let task = try JSONSerialization.jsonObject(with: Data(try await call(alice, "GET", "/v1/tasks/" + id).body))
            let images = (task as? [String: Any])?["images"] as? [[String: Any]] ?? []
            if images.first?["state"] as? String == "stored" { sha = images.first?["sha256"] as? String ?? "" }
            if sha.isEmpty { try await Task.sleep(nanoseconds: 200_000_000) }
        }
        #expect(!sha.isEmpty)
        func listed(_ token: String, _ query: String = "") async throws -> Int {
            let r = try await call(token, "GET", "/v1/tasks" + query)
            return ((try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])?["data"] as? [Any])?.count ?? -1
        }

        // (method, path, alice (owner), bob (other submitter), ops (admin), no token)
        let routes: [(String, String, Int, Int, Int, Int)] = [
            ("GET", "/v1/tasks/\(id)", 200, 404, 200, 401),
            ("GET", "/v1/tasks", 200, 200, 200, 401),
            ("GET", "/v1/images/\(sha).png", 200, 404, 200, 401),
            ("HEAD", "/v1/images/\(sha).png", 200, 404, 200, 401),
            ("POST", "/v1/tasks/\(id)/retry", 200, 404, 200, 401),
            ("POST", "/v1/tasks/\(id)/replay", 200, 404, 200, 401),
            ("GET", "/v1/tasks/task-unified-1-none", 404, 404, 404, 401),
            ("GET", "/v1/redrive/relays", 403, 403, 200, 401),
            ("POST", "/v1/redrive/images", 403, 403, 200, 401),
            ("GET", "/v1/ledger", 200, 200, 200, 401),
            ("GET", "/metrics", 200, 200, 200, 200),
            ("GET", "/healthz", 200, 200, 200, 200),
            ("GET", "/readyz", 200, 200, 200, 200),
        ]
        for (method, path, a, b, o, none) in routes {
            #expect(try await call(alice, method, path).status == a, "alice \(method) \(path)")
            #expect(try await call(bob, method, path).status == b, "bob \(method) \(path)")
            #expect(try await call(ops, method, path).status == o, "ops \(method) \(path)")
            #expect(try await call(nil, method, path).status == none, "no token \(method) \(path)")
        }
        // Lists: a submitter's is its own whatever it asks for; an admin may filter.
        #expect(try await listed(alice) == 1)
        #expect(try await listed(bob) == 0)
        #expect(try await listed(bob, "?caller=alice") == 0)
        #expect(try await listed(ops) == 1)
        #expect(try await listed(ops, "?caller=bob") == 0)
        // Any scope may submit; bob's task is his own.
        // (A different prompt: the same one would yield the same bytes, and content is
        // shared by the callers whose tasks hold it, so bob could then fetch that image.)
        let bobsRequest = Array(#"{"model":"wan2.5-text-to-image","prompt":"bob's own owl","size":"1024x1024","n":1}"#.utf8)
        let bobs = try await call(bob, "POST", "/v1/images/generations", body: bobsRequest, key: "scope-2")
        #expect(bobs.status == 200)
        #expect(try await listed(bob) == 1)
        #expect(try await listed(alice) == 1)

        // The operator CLI: re-drive needs an admin token.
        let cli = CLIEndToEndTests()
        let opsFile = dir.write("ops-token", "ops:\(ops):admin\n"), bobFile = dir.write("bob-token", bob + "\n")
        let listed = await cli.cli(["redrive", "relays", "--list", "--caller", "alice"],
                                   environment: ["IMAGEHOOK_URL": base, "IMAGEHOOK_TOKEN_FILE": opsFile])
        #expect(listed.0 == 0 && listed.1.contains("0 relays to re-drive"), "\(listed)")
        let refused = await cli.cli(["redrive", "images"], environment: ["IMAGEHOOK_URL": base, "IMAGEHOOK_TOKEN_FILE": bobFile])
        #expect(refused.0 != 0 && refused.2.contains("403"), "\(refused)")

        // SIGHUP without alice: refused on every task route at once; the others unchanged.
        dir.write("tokens", "bob:\(bob):submitter\nops:\(ops):admin\n")
        kill(daemon.pid, SIGHUP)
        _ = try await daemon.waitForLine(containing: "msg=\"configuration reloaded\"")
        for (method, path, _, b, o, none) in routes {
            #expect(try await call(alice, method, path).status == none, "revoked alice \(method) \(path)")
            #expect(try await call(bob, method, path).status == b, "bob after reload \(method) \(path)")
            #expect(try await call(ops, method, path).status == o, "ops after reload \(method) \(path)")
        }
        #expect(try await call(alice, "POST", "/v1/images/generations", body: request, key: "scope-3").status == 401)
        #expect(![alice, bob, ops].contains { daemon.stderr.contains($0) })
        #expect(await daemon.signalAndWait(SIGTERM, timeout: 15) == 0)
    }
}
