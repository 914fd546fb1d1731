/// Stops the run with a message when an invariant does not hold. A trap is what
/// libFuzzer records as a crash, so a logic bug leaves an input file like a memory bug.
func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("invariant broken: \(message())") }
}

/// The input libFuzzer hands over, as an array (it may pass a null pointer for size 0).
func fuzzInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}
