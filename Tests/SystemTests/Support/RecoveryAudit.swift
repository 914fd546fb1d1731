import Foundation
import HTTPClient
import ImageStore
import Support
import TestSupport

/// The end-of-run checks: every accepted task terminal on the daemon, every image the
/// provider produced for it stored once, verified, on disk; the books balanced. Each
/// check appends a precise problem instead of stopping, so one run reports everything.
struct RecoveryAudit {
    let harness: SystemHarness
    var problems: [String] = []
    /// Relay POSTs the receiver got (more than the tasks when a kill forced a re-send).
    var relayDeliveries = 0

    static let terminal: Set<String> = ["completed", "failed", "cancelled"]
    static let finalImageStates: Set<String> = ["stored", "failed", "expired"]

    init(harness: SystemHarness) { self.harness = harness }

    /// Waits (bounded) until every task is terminal with no image queued or running and
    /// the ledger shows no image or relay in flight; returns the daemon's last view of
    /// each task.
    static func waitForQuiet(_ harness: SystemHarness, taskIDs: [String], timeout: Double) async -> (views: [String: JSONObject], quiet: Bool) {
        let end = Date().addingTimeInterval(timeout)
        var views: [String: JSONObject] = [:]
        while true {
            var unsettled = 0
            for id in taskIDs {
                if let v = views[id], isSettled(v) { continue }
                if let v = try? await harness.task(id) { views[id] = v }
                if !(views[id].map(isSettled) ?? false) { unsettled += 1 }
            }
            if unsettled == 0, let ledger = try? await harness.ledger(),
               ledger.object("images")?.int("in_flight") == 0, ledger.object("relays")?.int("pending") == 0 {
                return (views, true)
            }
            if Date() >= end { return (views, false) }
            try? await Task.sleep(nanoseconds: 400_000_000)
        }
    }

    static func isSettled(_ view: JSONObject) -> Bool {
        guard let status = view.string("status"), terminal.contains(status) else { return false }
        return view.objects("images").allSatisfy { finalImageStates.contains($0.string("state") ?? "") }
    }

    mutating func fail(_ problem: String) { problems.append(problem) }

    /// Per task: same terminal status as the provider; for a completed task one stored
    /// image per provider result, each with the bytes the provider serves at that link.
    /// Returns sha256 -> (width, height) of every image that must be on disk.
    mutating func checkTasks(_ accepted: [(plan: SubmitPlan, id: String)], views: [String: JSONObject]) async -> [String: (Int, Int)] {
        var expected: [String: (Int, Int)] = [:]
        var comparisons: [(link: String, sha: String, what: String)] = []
        for (plan, id) in accepted {
            guard let view = views[id] else { fail("task \(id) (submit #\(plan.index)): never readable on the daemon"); continue }
            let status = view.string("status") ?? "?"
            guard let sim = try? await harness.simulator.task(id, harness.http) else {
                fail("task \(id): the provider does not know it"); continue
            }
            let simStatus = sim.string("status") ?? "?"
            if status != simStatus { fail("task \(id): daemon says \(status), provider says \(simStatus)") }
            guard simStatus == "completed" else { continue }
            let links = sim.strings("results")
            if links.count != plan.n { fail("task \(id): provider produced \(links.count) of n=\(plan.n) (no faults were set)") }
            let images = view.objects("images").sorted { ($0.int("index") ?? -1) < ($1.int("index") ?? -1) }
            if images.count != links.count {
                fail("task \(id): daemon has \(images.count) image jobs for \(links.count) provider results")
            }
            for (index, link) in links.enumerated() {
                guard let image = images.first(where: { $0.int("index") == index }) else {
                    fail("task \(id) image \(index): no job on the daemon"); continue
                }
                guard image.string("state") == "stored", let sha = image.string("sha256") else {
                    fail("task \(id) image \(index): state \(image.string("state") ?? "?") reason \(image.string("reason") ?? "-")")
                    continue
                }
                // A stored image shows our copy only: no provider link, no disk path.
                if image.string("source_url") != nil || image.string("path") != nil {
                    fail("task \(id) image \(index): stored image still shows source_url or path")
                }
                comparisons.append((link, sha, "task \(id) image \(index)"))
                expected[sha] = (plan.width, plan.height)
            }
        }
        // The provider's bytes at each link, fetched the way the daemon fetched them.
        let served = await Self.providerHashes(comparisons.map(\.link), harness.frontHTTP)
        for (link, sha, what) in comparisons {
            guard let providerSHA = served[link] else { fail("\(what): cannot fetch \(link) for comparison"); continue }
            if providerSHA != sha { fail("\(what): stored sha256 \(sha) but the provider serves \(providerSHA)") }
        }
        return expected
    }

    /// SHA-256 of what each link serves, a few fetches at a time.
    static func providerHashes(_ links: [String], _ http: HTTPClient, parallel: Int = 4) async -> [String: String] {
        await withTaskGroup(of: [(String, String)].self) { group in
            for lane in 0..<parallel {
                let mine = links.enumerated().filter { $0.offset % parallel == lane }.map(\.element)
                group.addTask {
                    var out: [(String, String)] = []
                    for link in mine {
                        if let r = try? await http.execute(HTTPClientRequest(url: link)), r.status == 200 {
                            out.append((link, SHA256.hex(r.body)))
                        }
                    }
                    return out
                }
            }
            var all: [String: String] = [:]
            for await part in group { for (k, v) in part { all[k] = v } }
            return all
        }
    }

    /// The image store on disk: exactly the expected files, each named by its content's
    /// SHA-256, a complete PNG of the requested size; nothing left in tmp/.
    mutating func checkDisk(expected: [String: (Int, Int)]) async {
        let root = harness.daemon.dataDirectory
        problems += await offPool { Self.diskProblems(root: root, expected: expected) }
    }

    /// `checkDisk` itself: reads and verifies every file (CPU-heavy in debug builds).
    static func diskProblems(root: String, expected: [String: (Int, Int)]) -> [String] {
        var problems: [String] = []
        func fail(_ problem: String) { problems.append(problem) }
        let fm = FileManager.default
        var found: [String: String] = [:]  // sha -> path
        let shards = (try? fm.contentsOfDirectory(atPath: root + "/images")) ?? []
        for shard in shards {
            let files = (try? fm.contentsOfDirectory(atPath: root + "/images/" + shard)) ?? []
            for file in files {
                let path = root + "/images/" + shard + "/" + file
                guard file.hasSuffix(".png") else { fail("unexpected file in images/: \(shard)/\(file)"); continue }
                let name = String(file.dropLast(4))
                if !name.hasPrefix(shard) { fail("\(shard)/\(file) is in the wrong shard") }
                if found[name] != nil { fail("\(name) stored twice") }
                found[name] = path
            }
        }
        for (sha, path) in found {
            guard let size = expected[sha] else { fail("images/ holds \(sha).png that no accepted task produced"); continue }
            guard let data = fm.contents(atPath: path) else { fail("cannot read \(path)"); continue }
            let actual = SHA256.hex([UInt8](data))
            if actual != sha { fail("\(path): content hashes to \(actual), not its name") }
            do {
                let info = try ImageVerifier.verify(file: path, contentType: "image/png",
                                                    expectedWidth: size.0, expectedHeight: size.1)
                if info.sha256 != sha { fail("\(path): verifier hash \(info.sha256) differs from the name") }
            } catch {
                fail("\(path): not a verified \(size.0)x\(size.1) PNG: \(error)")
            }
        }
        for sha in expected.keys where found[sha] == nil { fail("image \(sha) expected on disk but missing") }
        let leftovers = (try? fm.contentsOfDirectory(atPath: root + "/tmp")) ?? []
        if !leftovers.isEmpty { fail("tmp/ holds \(leftovers.count) leftover file(s): \(leftovers.prefix(5))") }
        return problems
    }

    /// `GET /v1/ledger`: balanced, nothing in flight or lost, every expected image stored.
    mutating func checkLedger(storedImageJobs: Int) async -> JSONObject? {
        guard let ledger = try? await harness.ledger() else { fail("GET /v1/ledger failed"); return nil }
        if ledger.bool("balanced") != true { fail("ledger not balanced: \(ledger.raw)") }
        let images = ledger.object("images")
        let callbacks = ledger.object("callbacks")
        if let images {
            if images.int("in_flight") != 0 || images.int("failed") != 0 || images.int("expired") != 0 {
                fail("ledger images not all stored: \(images.raw)")
            }
            if images.int("stored") != storedImageJobs {
                fail("ledger images stored \(images.int("stored") ?? -1), expected \(storedImageJobs)")
            }
            if images.int("expected") != images.int("stored") { fail("ledger images expected != stored: \(images.raw)") }
        } else {
            fail("ledger has no images section: \(ledger.raw)")
        }
        if let callbacks {
            let sum = (callbacks.int("applied") ?? 0) + (callbacks.int("duplicate") ?? 0) + (callbacks.int("rejected") ?? 0)
            if callbacks.int("received") != sum { fail("ledger callbacks received != applied + duplicate + rejected: \(callbacks.raw)") }
        } else {
            fail("ledger has no callbacks section: \(ledger.raw)")
        }
        return ledger
    }

    /// Every accepted task was relayed to its submitter's `callback_url` (at least once:
    /// a delivery cut by SIGKILL is sent again), and the ledger agrees.
    mutating func checkRelays(_ accepted: [(plan: SubmitPlan, id: String)], ledger: JSONObject?) {
        let received = harness.front.loggedRelays()
        var counts: [String: Int] = [:]
        var ids: [String: Set<String>] = [:]
        for relay in received {
            let key = String(relay.uri.dropFirst("/relay/".count))
            counts[key, default: 0] += 1
            ids[key, default: []].insert(relay.webhookID)
            if !relay.signed { fail("relay to \(relay.uri) without a v1 webhook-signature") }
        }
        // Standard Webhooks: a re-sent message keeps its webhook-id (receivers dedupe on
        // it), also when the re-send comes from a restarted process.
        for (key, set) in ids where set.count != 1 || set.contains("-") {
            fail("relay \(key): webhook-id values \(set) over \(counts[key] ?? 0) deliveries")
        }
        if Set(ids.values.compactMap(\.first)).count != ids.count { fail("two tasks' relays share a webhook-id") }
        relayDeliveries = received.count
        let missing = accepted.filter { counts[$0.plan.idempotencyKey] == nil }
        if !missing.isEmpty {
            fail("\(missing.count) accepted task(s) never relayed to the submitter: \(missing.prefix(5).map(\.id))")
        }
        if let relays = ledger?.object("relays") {
            if relays.int("delivered") != accepted.count || relays.int("pending") != 0 || relays.int("given_up") != 0 {
                fail("ledger relays \(relays.raw), expected \(accepted.count) delivered")
            }
        } else {
            fail("ledger has no relays section")
        }
    }
}
