/// A gate's refusal, carried through `Result`.
struct SimSubmitRefusal: Error, Sendable {
    var response: SimResponse
}
