/// A harness failure with a message meant for the person reading the test log.
struct SystemFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
