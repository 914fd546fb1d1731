extension Ledger {
    /// `GET /v1/ledger` body.
    var json: JSONValue {
        .object([
            ("balanced", .bool(balanced)),
            ("callbacks", .object([
                ("received", .int(callbacksReceived)), ("applied", .int(callbacksApplied)),
                ("duplicate", .int(callbacksDuplicate)), ("rejected", .int(callbacksRejected)),
                ("rejected_stale", .int(rejectedStale)), ("rejected_conflict", .int(rejectedConflict)),
                ("rejected_mismatch", .int(rejectedMismatch)), ("rejected_invalid", .int(rejectedInvalid)),
            ])),
            ("polls", .object([("applied", .int(pollsApplied)), ("unchanged", .int(pollsUnchanged))])),
            ("images", .object([
                ("expected", .int(imagesExpected)), ("stored", .int(imagesStored)), ("failed", .int(imagesFailed)),
                ("expired", .int(imagesExpired)), ("in_flight", .int(imagesInFlight)),
            ])),
            ("relays", .object([
                ("delivered", .int(relaysDelivered)), ("pending", .int(relaysPending)), ("given_up", .int(relaysGivenUp)),
            ])),
        ])
    }
}
