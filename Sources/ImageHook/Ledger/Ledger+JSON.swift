extension Ledger {
    /// `GET /v1/ledger` body.
    var json: JSONValue {
        .object([
            ("balanced", .bool(balanced)),
            ("problems", .array(problems.map(JSONValue.string))),
            ("callbacks", .object([
                ("received", .int(callbacksReceived)), ("answered_2xx", .int(callbacksAnswered2xx)),
                ("answered_409", .int(callbacksAnswered409)), ("applied", .int(callbacksApplied)),
                ("duplicate", .int(callbacksDuplicate)), ("rejected", .int(callbacksRejected)),
                ("rejected_stale", .int(rejectedStale)), ("rejected_conflict", .int(rejectedConflict)),
                ("rejected_mismatch", .int(rejectedMismatch)), ("rejected_invalid", .int(rejectedInvalid)),
            ])),
            ("polls", .object([("applied", .int(pollsApplied)), ("unchanged", .int(pollsUnchanged))])),
            ("images", .object([
                ("expected", .int(imagesExpected)), ("pruned", .int(prunedImageJobs)), ("stored", .int(imagesStored)), ("failed", .int(imagesFailed)),
                ("expired", .int(imagesExpired)), ("in_flight", .int(imagesInFlight)), ("removed", .int(imagesRemoved)),
            ])),
            ("relays", .object([
                ("owed", .int(relaysOwed)), ("awaiting_images", .int(relaysAwaitingImages)),
                ("delivered", .int(relaysDelivered)), ("pending", .int(relaysPending)), ("given_up", .int(relaysGivenUp)),
                ("pruned", .int(prunedRelays)),
            ])),
            ("journal", .object([("pruned", .int(prunedJournal))])),
        ])
    }
}
