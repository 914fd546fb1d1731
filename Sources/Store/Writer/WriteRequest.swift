/// One queued `write` body with its continuation, type-erased for the writer queue.
/// Touched only on the writer queue after submission, hence the unchecked Sendable.
final class WriteRequest: @unchecked Sendable {
    /// Runs the body; false when it threw (its error is kept for `finish`).
    let run: (Transaction) -> Bool
    /// Resumes the caller: with the batch error when given, else with the body's result.
    let finish: (StoreError?) -> Void

    init(run: @escaping (Transaction) -> Bool, finish: @escaping (StoreError?) -> Void) {
        self.run = run
        self.finish = finish
    }

    /// Builds a request around a typed body; `deliver` receives the outcome exactly once.
    static func make<T: Sendable>(
        _ body: @escaping @Sendable (Transaction) throws -> T,
        deliver: @escaping @Sendable (Result<T, any Error>) -> Void
    ) -> WriteRequest {
        let outcome = Outcome<T>()
        return WriteRequest(
            run: { transaction in
                do {
                    outcome.result = .success(try body(transaction))
                    return true
                } catch {
                    outcome.result = .failure(error)
                    return false
                }
            },
            finish: { batchError in
                if let batchError, case .success = outcome.result {
                    deliver(.failure(batchError))
                } else {
                    deliver(outcome.result ?? .failure(batchError ?? StoreError.unavailable("write was not run")))
                }
            })
    }

    private final class Outcome<T: Sendable>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }
}
