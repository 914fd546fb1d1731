/// Names of the counters kept by the code that decides something, as opposed to the
/// row counters the triggers keep (`journal.<source>.<outcome>`, `jobs.<state>`,
/// `relays.<state>`, each with a `pruned.` twin). The ledger balances one kind against
/// the other.
public enum LedgerCounter {
    /// Callbacks answered 2xx, counted in the write that decides the answer.
    public static let callbacksAnswered2xx = "callback.answered.2xx"
    /// Callbacks answered 409 (body id differs from the token's task), same write.
    public static let callbacksAnswered409 = "callback.answered.409"
    /// Result images of tasks that became completed, counted when the status changes.
    public static let imagesPromised = "images.promised"
    /// Promised images whose completed task was since pruned.
    public static let imagesPromisedPruned = "pruned.images.promised"
    /// Terminal tasks with a submitter callback_url: each owes one relay delivery.
    public static let relaysOwed = "relays.owed"
    /// Owed relays whose delivery record is not created yet (images still in flight).
    public static let relaysAwaiting = "relays.awaiting"

    public static func journal(source: String, outcome: String) -> String { "journal.\(source).\(outcome)" }
    public static func job(_ state: String) -> String { "jobs.\(state)" }
    public static func relay(_ state: String) -> String { "relays.\(state)" }
    public static func pruned(_ name: String) -> String { "pruned.\(name)" }
}
