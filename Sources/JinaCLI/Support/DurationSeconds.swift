extension Duration {
    /// The duration in seconds, fractions included (for rates and reports).
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
