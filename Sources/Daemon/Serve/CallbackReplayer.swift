import Foundation
import HTTP1
import HTTPClient
import ImageHook
import Store

/// `imagehookd replay ID`: sends the task's journaled callback bodies again, byte for
/// byte, to the daemon's own public listener at the task's callback URL, so they go
/// through exactly the path a provider callback takes (token check, id match, durable
/// journal, state change). Useful after a fix for callbacks that were rejected; already
/// applied ones are journaled again as duplicates and change nothing.
struct CallbackReplayer: Sendable {
    let service: ImageHookService
    let dataDir: String
    let publicBaseURL: String
    let client: HTTPClient

    init(service: ImageHookService, dataDir: String, publicBaseURL: String) {
        self.service = service
        self.dataDir = dataDir
        self.publicBaseURL = publicBaseURL
        var c = HTTPClientConfiguration(maxBodyBytes: 64 * 1024, maxRedirects: 0, allowPlainHTTP: true,
                                        addressPolicy: .trusted, maxIdleConnectionsPerOrigin: 1)
        c.timeouts = HTTPClientTimeouts(dns: 5, connect: 5, tls: 5, firstByte: 15, idle: 15, total: 20)
        client = HTTPClient(configuration: c)
    }

    /// Every report of a task (its submit answer included) is journaled, so a task with
    /// no journal entry at all had them removed by `retention_journal`.
    struct JournalPruned: Error {}

    /// Statuses of the replayed callbacks in journal order; nil when the task is unknown.
    /// Throws `JournalPruned` when retention already removed the task's journal.
    func replay(taskID: String) async throws -> [Int]? {
        let found = try await service.database.read { db -> (nonce: [UInt8], bodies: [[UInt8]]?)? in
            // The submission row holds the nonce the task's callback token derives from.
            guard let row = try db.queryOne("SELECT token_nonce FROM submissions WHERE task_id = ?", [taskID]),
                  let nonce = row.blob(0) else { return nil }
            let entries = try JournalRepository.entries(taskID: taskID, in: db)
            if entries.isEmpty { return (nonce, nil) }
            return (nonce, entries.filter { $0.source == TaskEventSource.callback.rawValue }.map(\.body))
        }
        guard let found else { return nil }
        guard let bodies = found.bodies else { throw JournalPruned() }
        let tokens = try CallbackTokens.load(path: dataDir + "/token.key")
        let url = publicBaseURL + "/v1/callbacks/" + tokens.token(nonce: found.nonce)
        var statuses: [Int] = []
        for body in bodies {
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "User-Agent", value: "imagehookd-replay")
            let response = try await client.execute(HTTPClientRequest(method: "POST", url: url, headers: headers, body: body))
            statuses.append(response.status)
        }
        return statuses
    }
}
