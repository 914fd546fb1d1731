extension Duration {
    /// The duration as fractional seconds, the unit every figure is computed in.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
