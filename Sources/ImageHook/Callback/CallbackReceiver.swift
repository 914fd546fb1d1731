import EvoLink
import HTTPServer
import Store
import Support

/// `POST /v1/callbacks/<token>` on the public listener.
///
/// The provider sends the task once on a terminal state plus three fast retries (1, 2,
/// 4 s) and takes any 2xx as delivered (PROVIDER.md, Callbacks), so nothing may
/// answer 2xx before the raw bytes and the state change are durable in one commit.
struct CallbackReceiver: Sendable {
    let context: ServiceContext
    let applier: ReportApplier

    enum Result: Sendable {
        case outcome(TaskOutcome, [TaskAction])
        case mismatch(expected: String)
        case gone
    }

    func handle(token: Substring, body: [UInt8]) async -> HTTPServerResponse {
        guard CallbackTokens.isWellFormed(token) else { return reject(Responses.notFound) }
        let hash = CallbackTokens.hash(token: String(token))
        let detail: TaskDetail
        do {
            detail = try TaskDetail.decode(body)
            guard TaskDetail.isValidID(detail.id) else {
                return await rejectBody(hash: hash, "task id must start with \(TaskDetail.idPrefix)")
            }
        } catch {
            return await rejectBody(hash: hash, "body is not a task: \(error)")
        }
        let now = context.clock.now()
        let applier = self.applier
        let result: Result
        do {
            // The token lookup runs inside the write: the writer waits on fsync most of
            // the time, so an indexed lookup there is nearly free, and it saves the
            // request a trip through the reader pool (benchmark: more callbacks per
            // group commit).
            result = try await context.database.write { tx in
                guard var current = try SubmissionRepository.find(tokenHash: hash, in: tx),
                      ConstantTime.equals(current.tokenHash, hash) else { return .gone }
                if let bound = current.taskID, bound != detail.id {
                    // Journaled for the record, never applied: a token belongs to one task.
                    try JournalRepository.append(taskID: bound, source: TaskEventSource.callback.rawValue,
                                                 outcome: "mismatch", body: body, at: now, in: tx)
                    // Counted where the answer is decided, apart from the journal row,
                    // so a 409 that was never journaled shows in the ledger.
                    try CounterRepository.add(LedgerCounter.callbacksAnswered409, in: tx)
                    return .mismatch(expected: bound)
                }
                if current.taskID == nil {
                    // The callback beat the submit answer (or the answer was lost):
                    // the token proves which submission this task belongs to.
                    current.taskID = detail.id
                    current.updatedAt = now
                    try SubmissionRepository.update(current, in: tx)
                }
                let outcome = try applier.apply(detail: detail, raw: body, source: .callback, submission: current,
                                                requestedSize: RequestedSize.of(current.request), now: now, in: tx)
                // Every path from here answers 200 once this write commits: the ledger
                // compares this count with the journal's callback rows.
                try CounterRepository.add(LedgerCounter.callbacksAnswered2xx, in: tx)
                if case .applied(_, let actions) = outcome { return .outcome(outcome, actions) }
                return .outcome(outcome, [])
            }
        } catch {
            context.logger.warning("callback not stored", metadata: ["task": "\(detail.id)", "error": "\(error)"])
            return reject(Responses.unavailable(retryAfter: context.config.retryAfterSeconds))
        }
        switch result {
        case .gone:
            return reject(Responses.notFound)
        case .mismatch(let expected):
            return Responses.error(409, "task_mismatch", "this callback URL belongs to task \(expected)")
        case .outcome(let outcome, let actions):
            context.wake(for: actions)
            return Responses.json(200, .object([("received", .bool(true)), ("outcome", .string(outcome.label))]))
        }
    }

    /// A body that is not task JSON: 404 if the token is unknown anyway (the token is
    /// checked first, as the route's authentication), else 400.
    private func rejectBody(hash: [UInt8], _ message: String) async -> HTTPServerResponse {
        do {
            let known = try await context.database.read { try SubmissionRepository.find(tokenHash: hash, in: $0) }
            guard let known, ConstantTime.equals(known.tokenHash, hash) else { return reject(Responses.notFound) }
        } catch {
            return reject(Responses.unavailable(retryAfter: context.config.retryAfterSeconds))
        }
        return reject(Responses.error(400, "invalid_callback", message))
    }

    private func reject(_ response: HTTPServerResponse) -> HTTPServerResponse {
        context.countInvalidCallback()
        return response
    }
}
