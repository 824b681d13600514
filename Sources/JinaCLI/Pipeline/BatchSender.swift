/// How the pipeline sends a batch: into a Flow in this process (`flow run`) or to a gateway
/// over HTTP (`client post`). Everything else about a run is the same for both.
protocol BatchSender: Sendable {
    func send(_ batch: Batch) async -> BatchOutcome
}

/// What became of one batch.
struct BatchOutcome: Sendable {
    /// What to write to stdout for it, in input order (may be empty).
    var output: [UInt8]
    /// Why it failed, for the log; nil when it succeeded.
    var failure: String?
    /// Nothing could be sent at all (nothing listens there): the other batches would fail the
    /// same way, so no more inputs are read.
    var stopsInputs = false
}

/// Documents as JSON Lines: each as it came, then a line break.
func documentLines(_ docs: [ArraySlice<UInt8>], capacity: Int) -> [UInt8] {
    var lines: [UInt8] = []
    lines.reserveCapacity(capacity)
    for doc in docs {
        lines += doc
        lines.append(0x0A)
    }
    return lines
}
