/// A figure's target: a bound it must stay at or above (throughput) or at or below
/// (latency, memory). Printed beside the figure, and counted when missed, so a table
/// shows at a glance whether the run met the project's claims.
struct Target {
    enum Direction { case atLeast, atMost }
    let bound: Double
    let direction: Direction
    /// The bound as printed, in the figure's unit.
    let text: String

    static func atLeast(_ bound: Double, _ text: String) -> Target { Target(bound: bound, direction: .atLeast, text: "≥ " + text) }
    static func atMost(_ bound: Double, _ text: String) -> Target { Target(bound: bound, direction: .atMost, text: "≤ " + text) }

    func isMet(by value: Double) -> Bool {
        direction == .atLeast ? value >= bound : value <= bound
    }

    /// `figure (target)`, with `MISSED` when the figure is on the wrong side.
    func cell(_ value: Double, _ formatted: String) -> String {
        "\(formatted) (\(text)\(isMet(by: value) ? "" : ", MISSED"))"
    }
}
