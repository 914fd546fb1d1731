@testable import HTTP1

/// Everything a parser produced for some input: its events, with adjacent body pieces
/// joined (how the bytes were split may change the pieces, never their content), and
/// the error that stopped it, if any.
struct FeedOutcome<Event: Equatable & Sendable>: Equatable, CustomStringConvertible {
    var events: [Event]
    var error: HTTPParseError?

    var description: String {
        "events: \(events)" + (error.map { ", error: \($0)" } ?? "")
    }
}
